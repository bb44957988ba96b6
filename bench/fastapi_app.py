"""fastapi_app.py — the old system's stack serving the same data, for
bench/bench-http.sh: FastAPI + uvicorn + psycopg2, written the ordinary way
(sync endpoints, a thread-safe connection pool, dicts returned and encoded
by FastAPI). GET /data runs the same query kasparro's /data runs for the
first page (records in id order with their entity and fields); GET /health
what kasparro's /health reads (schema version, last run).

    KASPARRO_DATABASE_URL=... FIELDS=title,author uvicorn fastapi_app:app
"""

import os

from fastapi import FastAPI, Query
from psycopg2.pool import ThreadedConnectionPool

FIELDS = [f for f in os.environ.get("FIELDS", "").split(",") if f]
# one connection per request thread at most: FastAPI runs sync endpoints on
# anyio's pool of 40 threads
pool = ThreadedConnectionPool(1, 40, os.environ["KASPARRO_DATABASE_URL"])
app = FastAPI()

DATA_SQL = (
    "SELECT r.id, r.source, r.source_id, r.change_seq, r.is_deleted, r.updated_at, "
    "em.entity_id, e.key" + "".join(f', r."{f}"' for f in FIELDS) +
    " FROM kasparro.records r"
    " LEFT JOIN kasparro.entity_members em ON em.record_id = r.id AND em.live"
    " LEFT JOIN kasparro.entities e ON e.id = em.entity_id"
    " WHERE NOT r.is_deleted AND r.id > %s ORDER BY r.id LIMIT %s")


def query(sql, params=()):
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
        conn.rollback()
        return rows
    finally:
        pool.putconn(conn)


@app.get("/data")
def data(limit: int = Query(100, ge=1, le=1000), after: int = 0):
    rows = query(DATA_SQL, (after, limit + 1))
    out = []
    for row in rows[:limit]:
        out.append({
            "id": row[0], "source": row[1], "source_id": row[2], "change_seq": row[3],
            "deleted": row[4], "updated_at": row[5].isoformat(),
            "entity": {"id": row[6], "key": row[7]} if row[6] is not None else None,
            "fields": {f: (v.isoformat() if hasattr(v, "isoformat") else v)
                       for f, v in zip(FIELDS, row[8:])},
        })
    nxt = rows[limit - 1][0] if len(rows) > limit else None
    return {"data": out, "meta": {"count": len(out), "next": nxt}}


@app.get("/health")
def health():
    version = query("SELECT max(version) FROM kasparro.schema_migrations")[0][0]
    last = query("SELECT id, status, extract(epoch FROM now() - coalesce(finished_at, "
                 "started_at)) FROM kasparro.runs ORDER BY id DESC LIMIT 1")
    run = {"id": last[0][0], "status": last[0][1], "age_seconds": float(last[0][2])} if last else None
    return {"data": {"database": {"reachable": True, "schema_version": version},
                     "last_run": run, "status": "ok"}}
