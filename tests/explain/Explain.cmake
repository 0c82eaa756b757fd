# explain: the causal chains of a region, as reviewed golden text (tests/golden/<name>/explain-*.txt).
set(_explain_dir ${CMAKE_CURRENT_LIST_DIR})

# outagesim_explain(NAME SCENARIO GOLDEN_FILE ARGS...): runs SCENARIO, then explain with ARGS.
function(outagesim_explain name scenario golden)
  add_test(NAME explain/${name}
           COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DSCENARIO=${scenario}
                   -DOUT=${CMAKE_BINARY_DIR}/explain-out/${name} -DGOLDEN=${PROJECT_SOURCE_DIR}/${golden}
                   "-DARGS=${ARGN}" -P ${_explain_dir}/check_explain.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(explain/${name} PROPERTIES LABELS "golden;explain" TIMEOUT 300)
endfunction()

# outagesim_explain_run(NAME RUN_DIR GOLDEN_FILE ARGS...): explain on a run folder kept in the tests.
function(outagesim_explain_run name run golden)
  add_test(NAME explain/${name}
           COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DRUN=${run}
                   -DOUT=${CMAKE_BINARY_DIR}/explain-out/${name} -DGOLDEN=${PROJECT_SOURCE_DIR}/${golden}
                   "-DARGS=${ARGN}" -P ${_explain_dir}/check_explain.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(explain/${name} PROPERTIES LABELS "golden;explain" TIMEOUT 60)
endfunction()

# The small 2021 replay: root fault, the backbone links, the users' loss (no recovery within its hour).
outagesim_explain(facebook-2021-small-india scenarios/facebook-2021/small.yaml
                  tests/golden/facebook-2021-small/explain-india.txt --region india)
# A staged repair: one root cause, the region's two services back with the last repaired spans.
outagesim_explain(02-backbone-partition-gulf scenarios/teaching/02-backbone-partition.yaml
                  tests/golden/02-backbone-partition/explain-gulf.txt --region gulf)
outagesim_explain(02-backbone-partition-pacific-json scenarios/teaching/02-backbone-partition.yaml
                  tests/golden/02-backbone-partition/explain-pacific.json --region pacific --service payments --json)
# Health checks withdraw the anycast sites; the recovery goes through the re-announcement.
outagesim_explain(04-anycast-asia scenarios/teaching/04-anycast-health-check-withdrawal.yaml
                  tests/golden/04-anycast-health-check-withdrawal/explain-asia.txt --region asia)
# Shared fate: operators blocked, engineers travel; the recovery chain is the operators' plan.
outagesim_explain(05-shared-fate-europe scenarios/teaching/05-shared-fate-out-of-band.yaml
                  tests/golden/05-shared-fate-out-of-band/explain-europe.txt --region europe --at 16:00)

# Two root causes ranked by how many failures each explains, through event types no model emits
# today (explain reads only the generic fields); one service still down at the end.
outagesim_explain_run(tiny-two-causes tests/explain/runs/tiny tests/explain/tiny-a.txt --region a)

# Bad input: exit code 2 with the place and what was expected.
function(outagesim_explain_bad name expect)
  add_test(NAME explain/bad-${name}
           COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> "-DARGS=${ARGN}" "-DEXPECT=${expect}"
                   -P ${_explain_dir}/check_explain_bad.cmake
           WORKING_DIRECTORY ${_explain_dir})
  set_tests_properties(explain/bad-${name} PROPERTIES LABELS "bad;explain" TIMEOUT 30)
endfunction()
outagesim_explain_bad(no-run-dir "nowhere/summary.json:1:1: error: cannot read the file"
                      explain nowhere --region india)
outagesim_explain_bad(broken-summary "runs/broken-summary/summary.json:4:[0-9]+: error: not valid JSON"
                      explain runs/broken-summary --region a)
outagesim_explain_bad(broken-event "runs/broken-event/events.jsonl:2:1: error: not an event"
                      explain runs/broken-event --region a)
outagesim_explain_bad(cause-after "runs/cause-after/events.jsonl:2:1: error: event #2 names a cause"
                      explain runs/cause-after --region a)
outagesim_explain_bad(unknown-region "--region:1:1: error: the run has no region 'mars'; expected one of: a"
                      explain runs/tiny --region mars)
outagesim_explain_bad(unknown-service "--service:1:1: error: region a has no service 'x'; expected one of: chat, web"
                      explain runs/tiny --region a --service x)
outagesim_explain_bad(bad-at "--at:1:1: error: '25:00' is not a time"
                      explain runs/tiny --region a --at 25:00)
outagesim_explain_bad(report-no-run-dir "nowhere/summary.json:1:1: error: cannot read the file"
                      report nowhere)
outagesim_explain_bad(report-broken-event "runs/broken-event/events.jsonl:2:1: error: not an event"
                      report runs/broken-event)
