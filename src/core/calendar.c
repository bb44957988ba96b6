/*
 * calendar.c — day numbers to dates and back (see calendar.h).
 *
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days
 * algorithms: exact for every year representable, no tables, no loops.
 */
#include "kasparro/calendar.h"

long long cal_floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

long long cal_days_from_civil(int year, int month, int day)
{
    long long y = (long long)year - (month <= 2);
    long long era = cal_floor_div(y, 400);
    long long yoe = y - era * 400;
    long long doy = (153LL * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct civil cal_civil_from_days(long long days)
{
    long long z = days + 719468;
    long long era = cal_floor_div(z, 146097);
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    struct civil c;

    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = (int)(yoe + era * 400 + (c.month <= 2));
    return c;
}

bool cal_is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int cal_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && cal_is_leap(year) ? 29 : days[month - 1];
}

int cal_weekday(long long days)
{
    long long w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}
