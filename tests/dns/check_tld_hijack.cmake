# A hijack of a TLD's name servers (tests/dns/tld-hijack.yaml): the forged delegations it hands out
# send the users' DNS traffic for the name to the hijacker, and traffic.hijacked_share counts it,
# although neither the service's edge nor the zone's own servers are hijacked.
#   -DOUTAGESIM=... -DOUT=folder (run from the repository root)
execute_process(COMMAND ${OUTAGESIM} run tests/dns/tld-hijack.yaml --out ${OUT} --quiet
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}):\n${out}${err}")
endif()
file(READ ${OUT}/summary.json summary)
string(JSON share GET "${summary}" signals traffic.hijacked_share service:video value)
string(JSON answer GET "${summary}" signals dns.failure_answer name:video.example value)
string(JSON edge GET "${summary}" signals bgp.new_origins prefix:203.0.112.0/22 value)
string(JSON tld GET "${summary}" signals bgp.new_origins prefix:198.51.100.0/24 value)
if(share LESS 0.9)
  message(FATAL_ERROR "traffic.hijacked_share ${share}, expected at least 0.9: the forged delegations send "
                      "every region's DNS queries for video.example to AS64666")
endif()
if(NOT answer MATCHES "wrong_address")
  message(FATAL_ERROR "dns.failure_answer ${answer}, expected wrong_address (forged delegations)")
endif()
if(NOT edge STREQUAL "[]" OR NOT tld MATCHES "64666")
  message(FATAL_ERROR "new origins: edge ${edge} (expected none), registry ${tld} (expected 64666)")
endif()
message(STATUS "traffic.hijacked_share ${share}, dns.failure_answer ${answer}")
