# cmake -DOUTAGESIM=... -DOUT=dir -P check_compare.cmake (run in tests/compare)
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${OUTAGESIM} compare --observed observed.signals.yaml slow-repair.yaml fast-repair.yaml
                        broken.yaml --seeds 2 --jobs 2 --out ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit 2 (one hypothesis is invalid), got ${rc}\n${out}\n${err}")
endif()
if(NOT err MATCHES "broken.yaml:4:[0-9]+: error: action 'explode' is unknown")
  message(FATAL_ERROR "the invalid hypothesis was not reported with FILE:LINE:COL:\n${err}")
endif()
file(STRINGS ${OUT}/ranking.csv rows)
list(GET rows 1 first)
list(GET rows 2 second)
list(GET rows 3 third)
if(NOT first MATCHES "^1,slow-repair,.*,2,0,0.800,")
  message(FATAL_ERROR "slow-repair should rank first, losing only the missing signal:\n${out}")
endif()
if(NOT second MATCHES "^2,fast-repair,.*service.recovered service:payments")
  message(FATAL_ERROR "fast-repair should rank second, contradicted by service.recovered:\n${out}")
endif()
if(NOT third MATCHES "^3,broken,")
  message(FATAL_ERROR "broken should rank last:\n${out}")
endif()
file(READ ${OUT}/signal_scores.csv scores)
if(NOT scores MATCHES "slow-repair,1,users.reports_total,service:social,\"1000\",\"missing\",missing")
  message(FATAL_ERROR "a signal the runs cannot compute must be reported as missing:\n${scores}")
endif()
foreach(f matrix.csv matrix.svg)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "no ${f}")
  endif()
endforeach()

# Observed subjects: one that no hypothesis has could only score "missing" in every run, so compare
# refuses the record before running anything; one that a single hypothesis has (topologies differ) is fine.
set(records ${OUT}-subjects)
file(REMOVE_RECURSE ${records} ${records}-none ${records}-one)
file(WRITE ${records}/nosuch.signals.yaml "date: 2021-10-04\nsignals:\n"
     "  - {id: traffic.drop_start, subject: service:social, kind: time, observed: \"15:39\", window: [\"15:38\", \"15:41\"]}\n"
     "  - {id: traffic.drop_start, subject: service:nosuch, kind: time, observed: \"15:39\", window: [\"15:38\", \"15:41\"]}\n")
execute_process(COMMAND ${OUTAGESIM} compare --observed ${records}/nosuch.signals.yaml slow-repair.yaml fast-repair.yaml
                        --seeds 1 --out ${records}-none --quiet
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "nosuch.signals.yaml:4:39: error: signal traffic.drop_start subject 'service:nosuch' is in none of the 2 scenarios: no run can compute it; expected one of service:")
  message(FATAL_ERROR "a subject no hypothesis has: expected exit 2 and the error at the subject, got ${rc}\n${err}")
endif()
if(EXISTS ${records}-none)
  message(FATAL_ERROR "a refused record left ${records}-none behind")
endif()
file(WRITE ${records}/one.signals.yaml "date: 2021-10-04\nsignals:\n"
     "  - {id: traffic.drop_start, subject: service:social, kind: time, observed: \"15:39\", window: [\"15:38\", \"15:41\"]}\n"
     "  - {id: traffic.drop_start, subject: service:web, kind: time, observed: \"08:10\", window: [\"08:09\", \"08:12\"]}\n")
execute_process(COMMAND ${OUTAGESIM} compare --observed ${records}/one.signals.yaml slow-repair.yaml ../bad/inc/base.yaml
                        --seeds 1 --out ${records}-one --quiet
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS ${records}-one/ranking.csv)
  message(FATAL_ERROR "subjects that one hypothesis each has: expected the comparison to run, got ${rc}\n${err}")
endif()
