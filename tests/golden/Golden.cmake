# Golden tests: a scenario in, a reviewed event transcript (events.txt) and summary (summary.json,
# without the versions block) out. A changed golden is reviewed, never blindly regenerated: to accept
# a change, run the test with OUTAGESIM_UPDATE_GOLDEN=1 in the environment, then read `git diff`.
set(OUTAGESIM_GOLDEN_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/check_golden.cmake)

# outagesim_golden(NAME SCENARIO [ARGS...]): SCENARIO relative to the repository root.
function(outagesim_golden name scenario)
  add_test(NAME golden/${name}
           COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DSCENARIO=${scenario}
                   -DGOLDEN=${PROJECT_SOURCE_DIR}/tests/golden/${name} -DOUT=${CMAKE_BINARY_DIR}/golden-out/${name}
                   "-DARGS=${ARGN}" -P ${OUTAGESIM_GOLDEN_SCRIPT}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(golden/${name} PROPERTIES LABELS golden TIMEOUT 300)
endfunction()

# outagesim_determinism(NAME SCENARIO): two runs with the same seed give identical bytes, and a
# different seed gives a different event transcript.
function(outagesim_determinism name scenario)
  add_test(NAME determinism/${name}
           COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DSCENARIO=${scenario}
                   -DOUT=${CMAKE_BINARY_DIR}/determinism-out/${name}
                   -P ${CMAKE_CURRENT_LIST_DIR}/check_determinism.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(determinism/${name} PROPERTIES LABELS golden TIMEOUT 300)
endfunction()

outagesim_golden(01-single-link-failure scenarios/teaching/01-single-link-failure.yaml)
outagesim_golden(02-backbone-partition scenarios/teaching/02-backbone-partition.yaml)
outagesim_golden(03-dns-caching-and-ttl scenarios/teaching/03-dns-caching-and-ttl.yaml)
outagesim_golden(04-anycast-health-check-withdrawal scenarios/teaching/04-anycast-health-check-withdrawal.yaml)
outagesim_golden(05-shared-fate-out-of-band scenarios/teaching/05-shared-fate-out-of-band.yaml)
outagesim_golden(06-bgp-path-exploration scenarios/teaching/06-bgp-path-exploration.yaml)
outagesim_golden(07-ddos-bandwidth scenarios/teaching/07-ddos-bandwidth.yaml)
outagesim_golden(08-route-leak scenarios/teaching/08-route-leak.yaml)
outagesim_golden(09-bgp-hijack scenarios/teaching/09-bgp-hijack.yaml)
outagesim_golden(09-bgp-hijack-rov scenarios/teaching/09-bgp-hijack-rov.yaml)
outagesim_golden(09-bgp-hijack-intercept scenarios/teaching/09-bgp-hijack-intercept.yaml)
outagesim_golden(10-botnet-vs-dns-providers scenarios/teaching/10-botnet-vs-dns-providers.yaml)
outagesim_determinism(06-bgp-path-exploration scenarios/teaching/06-bgp-path-exploration.yaml)
outagesim_golden(facebook-2021-small scenarios/facebook-2021/small.yaml)
outagesim_golden(misbehave-and-degrade tests/golden/misbehave-and-degrade/scenario.yaml)
outagesim_determinism(02-backbone-partition scenarios/teaching/02-backbone-partition.yaml)

# The full 4 October 2021 replay, scored against the observed record (skipped without ../shared).
add_test(NAME replay/facebook-2021
         COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DSCENARIO=scenarios/facebook-2021/scenario.yaml
                 -DOBSERVED=${PROJECT_SOURCE_DIR}/../shared/data/observed/facebook-2021.signals.yaml
                 -DOUT=${CMAKE_BINARY_DIR}/replay-out/facebook-2021 -DMIN_MATCHED=15
                 -P ${CMAKE_CURRENT_LIST_DIR}/check_replay.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(replay/facebook-2021 PROPERTIES LABELS golden TIMEOUT 600 SKIP_REGULAR_EXPRESSION "-- skipped: ")

# The same on CAIDA's real AS graph of 2018 (skipped without ../shared/data/caida).
add_test(NAME replay/facebook-2021-caida
         COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DSCENARIO=scenarios/facebook-2021/caida.yaml
                 -DOBSERVED=${PROJECT_SOURCE_DIR}/../shared/data/observed/facebook-2021.signals.yaml
                 -DDATA=${PROJECT_SOURCE_DIR}/../shared/data/caida/20180101.as-rel.txt.bz2
                 -DOUT=${CMAKE_BINARY_DIR}/replay-out/facebook-2021-caida -DMIN_MATCHED=15
                 -P ${CMAKE_CURRENT_LIST_DIR}/check_replay.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(replay/facebook-2021-caida PROPERTIES LABELS golden TIMEOUT 600
                     SKIP_REGULAR_EXPRESSION "-- skipped: ")
