# cmake -DOUTAGESIM=... -DOUT=dir -P check_limits.cmake (run in tests/compare)
# Per-run limits: a hypothesis that runs past --run-timeout is stopped, reported as timed out with
# its log, and ranked last while the others are still ranked; a run above --run-memory is reported
# as out of memory.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${OUTAGESIM} compare --observed observed.signals.yaml slow-repair.yaml runaway.yaml
                        fast-repair.yaml --seeds 2 -j 2 --run-timeout 3s --out ${OUT}/timeout
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "expected exit 0 (two hypotheses ranked), got ${rc}:\n${out}\n${err}")
endif()
file(STRINGS ${OUT}/timeout/ranking.csv rows)
list(GET rows 1 first)
list(GET rows 2 second)
list(GET rows 3 third)
if(NOT first MATCHES "^1,slow-repair,.*,2,0,0.800," OR NOT second MATCHES "^2,fast-repair,.*,2,0,0.400,"
   OR NOT third MATCHES "^3,runaway,\"runaway.yaml\",0,2,")
  message(FATAL_ERROR "expected slow-repair, fast-repair ranked and runaway last with 2 failed runs:\n${out}")
endif()
if(NOT out MATCHES "runaway +all runs timed out +- +0 ok, 2 timed out")
  message(FATAL_ERROR "the table should say the runaway's runs timed out:\n${out}")
endif()
foreach(seed 1 2)
  if(NOT err MATCHES "runaway seed ${seed}: timed out \\(still running after --run-timeout 3s\\) in [0-9.]+s; log: [^\n]*/runs/runaway/seed-${seed}.log\n  \\| +(simulated \\+|\\(its log is empty\\))")
    message(FATAL_ERROR "runaway seed ${seed}: no timed-out report with its log and how far it got:\n${err}")
  endif()
endforeach()
file(READ ${OUT}/timeout/runs.csv runs)
if(NOT runs MATCHES "runaway,1,timed out,\"still running after --run-timeout 3s\",\"runs/runaway/seed-1.log\"\n"
   OR NOT runs MATCHES "slow-repair,2,ok,")
  message(FATAL_ERROR "runs.csv should list the runs with their status:\n${runs}")
endif()
if(EXISTS ${OUT}/timeout/runs/runaway/seed-1/summary.json)
  message(FATAL_ERROR "a stopped run left outputs behind")
endif()

# Memory: any run is above 1 MiB resident; every run is stopped, and compare fails (nothing ranked).
execute_process(COMMAND ${OUTAGESIM} compare --observed observed.signals.yaml slow-repair.yaml --seeds 1
                        --run-memory 1MiB --out ${OUT}/memory
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 1 OR NOT err MATCHES "slow-repair seed 1: out of memory \\(resident [0-9.]+ [MG]iB > --run-memory 1 MiB\\)"
   OR NOT out MATCHES "all runs out of memory")
  message(FATAL_ERROR "expected exit 1 and an out-of-memory report (${rc}):\n${out}\n${err}")
endif()

# Bad limits are bad input.
foreach(bad "--run-timeout;soon" "--run-memory;lots" "--run-memory;-1GiB")
  execute_process(COMMAND ${OUTAGESIM} compare --observed observed.signals.yaml slow-repair.yaml ${bad}
                          --out ${OUT}/bad RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "expected" OR EXISTS ${OUT}/bad)
    message(FATAL_ERROR "${bad}: expected exit 2, an error saying what was expected, nothing written (${rc}):\n${err}")
  endif()
endforeach()
