# cmake -DOUTAGESIM=... -DOUT=dir -DROOT=repo [-DMPIEXEC=mpirun] -P check_sweep.cmake (run at the repo root)
# sweep: a 2 x 3 sweep of teaching scenario 03 (serve-stale on the ISP resolver x the TTL of the A
# record behind www) with 2 seeds gives the 12 expected rows in order, with what the mechanism must
# show (a longer TTL delays the failure, serve-stale hides it); the same bytes under MPI; a point
# whose run fails and a point whose value is refused are reported and the rest written; bad --vary
# is bad input.
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
file(REMOVE_RECURSE ${OUT})
set(sweep sweep scenarios/teaching/03-dns-caching-and-ttl.yaml --vary dns.resolvers.0.serve_stale=false,true
          --vary dns.zones.1.records.1.ttl=60s,10m,1h --seeds 2)
execute_process(COMMAND ${OUTAGESIM} ${sweep} -j 2 --out ${OUT}/local
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sweep failed (${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "sweep: 6 points x 2 seeds: 12 runs ok")
  message(FATAL_ERROR "unexpected summary line:\n${out}")
endif()
file(STRINGS ${OUT}/local/sweep.csv rows)
list(LENGTH rows n)
if(NOT n EQUAL 13)
  message(FATAL_ERROR "expected a header and 12 rows, got ${n}")
endif()
list(GET rows 0 header)
if(NOT header MATCHES "^point,dns.resolvers.0.serve_stale,dns.zones.1.records.1.ttl,seed,status,")
  message(FATAL_ERROR "unexpected header: ${header}")
endif()
# The column of www.example.com's failure start.
string(REPLACE "," ";" columns "${header}")
list(FIND columns "dns.resolution_fail_start[name:www.example.com]" col)
if(col LESS 0)
  message(FATAL_ERROR "no dns.resolution_fail_start[name:www.example.com] column: ${header}")
endif()
# point, values, seed, status, and when www fails: 09:10 once edge's copy (60 s or 10 m TTL, cached
# at the start) expires as the servers stop; 10:00 with a 1 h TTL; never with serve-stale.
set(expected
    "p001,false,60s,1,ok,2021-10-04T09:10:00Z" "p001,false,60s,2,ok,2021-10-04T09:10:00Z"
    "p002,false,10m,1,ok,2021-10-04T09:10:00Z" "p002,false,10m,2,ok,2021-10-04T09:10:00Z"
    "p003,false,1h,1,ok,2021-10-04T10:00:00Z" "p003,false,1h,2,ok,2021-10-04T10:00:00Z"
    "p004,true,60s,1,ok,never" "p004,true,60s,2,ok,never"
    "p005,true,10m,1,ok,never" "p005,true,10m,2,ok,never"
    "p006,true,1h,1,ok,never" "p006,true,1h,2,ok,never")
foreach(i RANGE 1 12)
  list(GET rows ${i} row)
  string(REPLACE "," ";" cells "${row}")
  list(SUBLIST cells 0 5 head)
  list(GET cells ${col} fail)
  string(REPLACE ";" "," got "${head};${fail}")
  math(EXPR e "${i} - 1")
  list(GET expected ${e} want)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "row ${i}: expected ${want}, got ${got}\n${row}")
  endif()
endforeach()
file(READ ${OUT}/local/sweep_points.csv points)
if(NOT points MATCHES "\np003,false,1h,dns.resolution_fail_start\\[name:www.example.com\\],time,2,2,2021-10-04T10:00:00Z,2021-10-04T10:00:00Z,2021-10-04T10:00:00Z\n"
   OR NOT points MATCHES "\np001,false,60s,resolver.query_multiplier_peak\\[resolver:isp\\],number,2,2,12,12,12\n")
  message(FATAL_ERROR "sweep_points.csv lacks the expected medians:\n${points}")
endif()
if(MPIEXEC)
  execute_process(COMMAND ${MPIEXEC} --oversubscribe -np 3 ${OUTAGESIM} ${sweep} --out ${OUT}/mpi
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sweep under mpirun failed (${rc}):\n${out}\n${err}")
  endif()
  foreach(f sweep.csv sweep_points.csv)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/local/${f} ${OUT}/mpi/${f} RESULT_VARIABLE diff)
    if(NOT diff EQUAL 0)
      message(FATAL_ERROR "${f} under mpirun differs from -j 2's")
    endif()
  endforeach()
endif()

# A point whose run fails (runs past --run-timeout) and one whose value is refused: both reported,
# the rest written; exit 2 (a point was bad input).
execute_process(COMMAND ${OUTAGESIM} sweep scenarios/teaching/02-backbone-partition.yaml
                        --vary scenario.duration=2h30m,10d,soon --seeds 1 --run-timeout 3s --out ${OUT}/failing
                        --observed tests/compare/observed.signals.yaml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit 2 (one point is invalid), got ${rc}:\n${out}\n${err}")
endif()
if(NOT err MATCHES "--set scenario.duration=soon:1:[0-9]+: error: [^\n]*'soon'"
   OR NOT err MATCHES "p002 \\(scenario.duration=10d\\) seed 1: timed out \\(still running after --run-timeout 3s\\)[^\n]*log: [^\n]*runs/p002/seed-1.log")
  message(FATAL_ERROR "the refused value and the timed-out run must be reported:\n${err}")
endif()
file(STRINGS ${OUT}/failing/sweep.csv rows)
list(LENGTH rows n)
list(GET rows 1 ok_row)
list(GET rows 2 timeout_row)
list(GET rows 3 invalid_row)
if(NOT n EQUAL 4 OR NOT ok_row MATCHES "^p001,2h30m,1,ok,0.800,4860," OR NOT timeout_row MATCHES "^p002,10d,1,timed out,,"
   OR NOT invalid_row MATCHES "^p003,soon,1,invalid,,")
  message(FATAL_ERROR "expected p001 ok (score 0.800 as slow-repair in compare, outage 4860 s), p002 timed out, p003 invalid:\n${rows}")
endif()
if(NOT out MATCHES "3 points x 1 seeds: 1 runs ok, 1 failed")
  message(FATAL_ERROR "unexpected summary line:\n${out}")
endif()

# Bad --vary: exit 2, a message saying what was expected, nothing written.
foreach(bad "dns.ttl" "x=" "x=1..0:1" "x=0..1:0" "x=a,,b" "x=a,a" "x=0..1e9:1")
  execute_process(COMMAND ${OUTAGESIM} sweep scenarios/teaching/03-dns-caching-and-ttl.yaml --vary ${bad}
                          --out ${OUT}/bad RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "^--vary: .*expected" OR EXISTS ${OUT}/bad)
    message(FATAL_ERROR "--vary ${bad}: expected exit 2, an error saying what was expected, nothing written (${rc}):\n${err}")
  endif()
endforeach()
# A --vary path that does not exist: every point is refused, nothing run or written.
execute_process(COMMAND ${OUTAGESIM} sweep scenarios/teaching/03-dns-caching-and-ttl.yaml --vary models.dns.nope=1,2
                        --out ${OUT}/bad RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "--set models.dns.nope=1:1:[0-9]+: error: " OR EXISTS ${OUT}/bad)
  message(FATAL_ERROR "--vary models.dns.nope: expected FILE:LINE:COL errors, exit 2, nothing written (${rc}):\n${err}")
endif()

# A record about a subject no point has (service:nosuch; 02's services are social and payments) is
# refused before any run, as by compare: nothing written.
file(WRITE ${OUT}/nosuch.signals.yaml "date: 2021-10-04\nsignals:\n"
     "  - {id: traffic.drop_start, subject: service:nosuch, kind: time, observed: \"15:39\", window: [\"15:38\", \"15:41\"]}\n")
execute_process(COMMAND ${OUTAGESIM} sweep scenarios/teaching/02-backbone-partition.yaml
                        --vary scenario.duration=2h,3h --seeds 1 --out ${OUT}/nosuch --observed ${OUT}/nosuch.signals.yaml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 2 OR NOT err MATCHES "nosuch.signals.yaml:3:[0-9]+: error: signal traffic.drop_start subject 'service:nosuch' is in none of the 2 scenarios" OR EXISTS ${OUT}/nosuch)
  message(FATAL_ERROR "a subject no point has: expected exit 2, the error at the subject and nothing written, got ${rc}:\n${err}")
endif()
