# cmake -DOUTAGESIM=... -DRUN=dir -DARGS="..." -DEXPECT="regex" -P check_explain_bad.cmake
# Bad input to explain or report: exit code 2, the expected FILE:LINE:COL error on stderr, nothing on stdout.
set(args ${ARGS})
execute_process(COMMAND ${OUTAGESIM} ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "expected exit code 2, got ${rc}:\n${out}\n${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}':\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "expected nothing on stdout, got:\n${out}")
endif()
