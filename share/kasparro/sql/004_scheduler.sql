-- 004_scheduler: the scheduler's state, shared by every process that runs
-- a scheduler (consoles, daemons).
--
-- One row per job. next_fire_at is the anchor every schedule is computed
-- from: a process never derives fire times from its own start, so a restart
-- or a reload cannot drop a fire time that is already due. A scheduler
-- claims a due fire time by advancing next_fire_at in a transaction that
-- holds the row (SELECT ... FOR UPDATE), so exactly one process acts on
-- each fire time; what it decided (run, missed, skipped) is a row in runs.

CREATE TABLE scheduler (
    job           text PRIMARY KEY,
    cron          text NOT NULL,
    timezone      text NOT NULL DEFAULT 'UTC',
    paused        boolean NOT NULL DEFAULT false,
    last_fire_at  timestamptz,          -- the latest fire time acted on
    next_fire_at  timestamptz NOT NULL, -- the next fire time, without jitter
    -- without coalesce: fire times up to here were found due together and
    -- are caught up one run after another (not 'skipped' while they wait)
    catch_up_until timestamptz,
    -- a fire time claimed to run whose run has not recorded itself yet, and
    -- the claiming session (backend pid and when): should that process stop
    -- or die before the run starts, the next claim records it 'skipped'
    dispatched_for timestamptz,
    dispatched_backend integer,
    dispatched_at timestamptz,
    grace         interval NOT NULL DEFAULT '15 minutes',
    coalesce      boolean NOT NULL DEFAULT true,
    jitter        interval NOT NULL DEFAULT '0',
    -- the [scheduler] cron and timezone this row last took from a config
    -- file: a changed file wins over 'kasparro schedule set', an unchanged
    -- one does not undo it
    config_cron   text,
    config_timezone text,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- "What happened to the fire times of this job": the schedule view and the
-- console's Schedule screen read runs by trigger and fire time.
CREATE INDEX runs_schedule_idx ON runs (scheduled_for DESC) WHERE trigger = 'schedule';
