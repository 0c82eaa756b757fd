# auth.attack_bps_peak is bits per second of each sample: an 8 Gbps flood that starts 30 s before the
# run's end, in a last sample of 30 s (scenario 07's sample is 1 minute), reads 8 Gbps, not half of it.
#   -DOUTAGESIM=... -DOUT=folder (run from the repository root)
execute_process(COMMAND ${OUTAGESIM} run scenarios/teaching/07-ddos-bandwidth.yaml --out ${OUT} --quiet
                        --set scenario.duration=10m30s
                        --set "faults=[{id: flood-fra, at: +10m, target: dns:fra, action: ddos, with: {flood: 8Gbps}}]"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}):\n${out}${err}")
endif()
file(READ ${OUT}/summary.json summary)
string(JSON bps GET "${summary}" signals auth.attack_bps_peak name:www.example.com value)
if(bps LESS 7.99e9 OR bps GREATER 8.01e9)
  message(FATAL_ERROR "auth.attack_bps_peak ${bps}, expected 8e9: the flood's 8 Gbps over the 30 s it lasted")
endif()
message(STATUS "auth.attack_bps_peak ${bps}")
