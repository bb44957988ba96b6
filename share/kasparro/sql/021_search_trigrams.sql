-- 021_search_trigrams: pg_trgm, for the index that serves searches (`entities
-- --search`, GET /entities?search=, the console's Entities search). pg_trgm
-- ships with PostgreSQL (Debian's postgresql-15, the postgres image) and is
-- trusted since PostgreSQL 13: whoever may create in the database may create
-- it. Where it is missing or may not be created, searches stay correct and
-- read every entity; an administrator's `CREATE EXTENSION pg_trgm` later is
-- enough, kasparro builds the index at its next start. The folding function
-- and the index itself are made by src/db/search.c after the migrations:
-- their table comes from the utf8proc kasparro was built with, so they are
-- compared with it at every start, not written once here.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA kasparro;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm not created (%): searches read every entity', SQLERRM;
END
$$;
