# The bad-input corpus: one ctest per tests/bad/NN-name.yaml, labelled `bad`.
#
# Each case is a scenario that must be rejected (or an observed record NN-name.signals.yaml, or a
# run summary NN-name.json, given to `outagesim score`: see check_bad.cmake): `outagesim validate NN-name.yaml`, run in
# tests/bad/, must exit with 2 and print exactly NN-name.err on stderr (FILE:LINE:COL: error: ...
# lines), and `outagesim run` must exit with 2 and write nothing. NN-name.args, if present, holds
# extra arguments, one per line (e.g. --set KEY=VALUE). Files under tests/bad/inc/ are helpers that
# cases include, not cases. Hostile inputs too big or too binary to commit are generated at test
# time (the gen-* tests). See tests/bad/check_bad.cmake.
#
#   ctest -L bad --output-on-failure           all of them
#   ctest -R 'bad/07-' --output-on-failure     one
#
# To add a case: write NN-name.yaml (opening with a comment saying what is wrong), run
# `outagesim validate NN-name.yaml 2> NN-name.err` in tests/bad/, read the .err and check every
# line points at the right place and says what is wrong and what was expected; re-run cmake.

set(_bad_dir "${CMAKE_CURRENT_LIST_DIR}")
set(_bad_scratch "${CMAKE_CURRENT_BINARY_DIR}/bad-scratch")

file(GLOB _bad_cases CONFIGURE_DEPENDS "${_bad_dir}/*.yaml" "${_bad_dir}/*.json")
list(SORT _bad_cases)
foreach(_case IN LISTS _bad_cases)
  get_filename_component(_name "${_case}" NAME_WE)
  add_test(NAME "bad/${_name}"
           COMMAND "${CMAKE_COMMAND}"
                   "-DOUTAGESIM=$<TARGET_FILE:outagesim>"
                   "-DNAME=${_name}"
                   "-DCASE=${_case}"
                   "-DERR=${_bad_dir}/${_name}.err"
                   "-DARGS_FILE=${_bad_dir}/${_name}.args"
                   "-DSCRATCH=${_bad_scratch}"
                   "-DFIXTURES=${_bad_dir}/inc"
                   -P "${_bad_dir}/check_bad.cmake")
  set_tests_properties("bad/${_name}" PROPERTIES LABELS bad TIMEOUT 30)
endforeach()

# Generated hostile inputs: the test name, what check_bad.cmake generates, and a phrase the error
# must contain ("" for any FILE:LINE:COL error).
function(_bad_generated_test name kind phrase)
  set(seconds 60)
  if(ARGC GREATER 3)
    set(seconds ${ARGV3})
  endif()
  add_test(NAME "bad/${name}"
           COMMAND "${CMAKE_COMMAND}"
                   "-DOUTAGESIM=$<TARGET_FILE:outagesim>"
                   "-DNAME=${name}"
                   "-DGENERATE=${kind}"
                   "-DPHRASE=${phrase}"
                   "-DSCRATCH=${_bad_scratch}"
                   "-DTIMEOUT=${seconds}"
                   -P "${_bad_dir}/check_bad.cmake")
  math(EXPR whole "${seconds} * 2 + 10")
  set_tests_properties("bad/${name}" PROPERTIES LABELS bad TIMEOUT ${whole})
endfunction()
_bad_generated_test(gen-huge-file huge-file "bytes; expected at most 16777216 bytes for a scenario")
_bad_generated_test(gen-binary-junk binary-junk "is not text; expected a UTF-8 YAML file")
_bad_generated_test(gen-nul-bytes zeros "byte 0x00 is not text; expected a UTF-8 YAML file")
_bad_generated_test(gen-deep-flow-10k deep-flow "nesting deeper than 64 levels")
_bad_generated_test(gen-deep-block-10k deep-block "nesting deeper than 64 levels")
_bad_generated_test(gen-billion-laughs billion-laughs "document expands to more than 2000000 nodes")
_bad_generated_test(gen-many-nodes many-nodes "document expands to more than 2000000 nodes")
_bad_generated_test(gen-zero-bytes zero-bytes "scenario is empty")
_bad_generated_test(gen-random-text random-text "")
_bad_generated_test(gen-fifo fifo "is a FIFO; expected a regular file")
_bad_generated_test(gen-device device "is a device; expected a regular file")
_bad_generated_test(gen-directory directory "is a folder; expected a regular file")
# 384 MiB of text in 2 KiB: decompressing up to the cap takes seconds (more under ASan).
_bad_generated_test(gen-bz2-bomb bz2-bomb "decompresses to more than 256 MiB" 90)
