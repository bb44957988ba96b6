time,level,run,source,msg
1796610116.781965,info,,,console started
1796610117.0585129,info,,,scheduler: schedule '0 */6 * * *' (UTC); next fire time 2026-12-07T06:00:00Z
1796610117.70922,info,,,"reload: configuration '/tmp/kasparro-test.ry8GoZ/t.0x8IFk/fx/kasparro.conf' loaded (3 sources, schedule '0 */6 * * *')"
1796610118.7039089,info,2,,"run 2 started by root (manual): 1 source, 1 worker here"
1796610119.109669,info,2,extra,"source 'extra' succeeded: 1 fetched, 1 inserted, 0 updated, 0 unchanged, 0 quarantined"
1796610119.141639,warn,2,,"matching model: only 1 pair to learn from: default m, default u"
1796610119.1417069,info,2,,"matching model: prior 0.50000 (estimated), 1 pairs and 0 decisions for EM, 0 iterations (not settled)"
1796610119.2774229,info,2,,"matching: 6 records, 1 re-matched, 0 retired, 1 pairs compared, 0 merged automatically, 0 queued (the queue holds 0), 1 new entities in 0.16s"
1796610119.329212,info,2,,run 2 succeeded
1796610120.13094,warn,,,reload: config '/tmp/kasparro-test.ry8GoZ/t.0x8IFk/fx/kasparro.conf' line 24: unknown key 'bogus_key' in [source extra]; keeping the running configuration
