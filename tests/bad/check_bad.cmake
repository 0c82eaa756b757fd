# Checks one bad scenario (run as `cmake -P check_bad.cmake` by the ctests of tests/bad/Bad.cmake).
#
# Variables (-D):
#   OUTAGESIM  the outagesim binary
#   NAME       the case name, e.g. 07-two-documents (names the scratch folders)
#   SCRATCH    a scratch folder in the build tree
#   CASE       the bad scenario file (tests/bad/NN-name.yaml); run from its folder, by its bare name
#   ERR        the exact expected stderr of `outagesim validate` (tests/bad/NN-name.err)
#   ARGS_FILE  optional: extra arguments, one per line, added after the other arguments (e.g. --set K=V)
#   GENERATE   instead of CASE/ERR: a hostile input generated here into SCRATCH/gen/NAME/NAME.yaml
#              (huge-file, binary-junk, zeros, deep-flow, deep-block, billion-laughs, many-nodes,
#              zero-bytes, random-text, fifo, device, directory, bz2-bomb); its stderr is checked against FILE:LINE:COL: error: and PHRASE
#   PHRASE     with GENERATE: text the error must contain ("" for any error)
#   TIMEOUT    seconds each command may take (default 20, 60 for generated inputs)
#   FIXTURES   tests/bad/inc: for the cases that are not scenarios (below)
#
# Cases that are not scenarios: NN-name.signals.yaml is an observed record, checked with
# `outagesim score RUN NN-name.signals.yaml` (RUN: a copy of FIXTURES/run/summary.json in SCRATCH);
# NN-name.json is a run's summary.json, copied to SCRATCH/summaries/NN-name/summary.json and checked
# with `outagesim score NN-name FIXTURES/observed.signals.yaml` run in SCRATCH/summaries. Both must
# exit with 2, print exactly NN-name.err, and write no score.csv; an observed record must also be
# refused, with the same stderr and nothing written, by `outagesim compare --observed` and
# `outagesim report RUN --observed`.
#
# Checks: (1) `outagesim validate FILE` exits with exactly 2 (not 0, 1 or a signal) within the
# timeout, every stderr line reads FILE:LINE:COL: error: ..., and stderr is ERR byte for byte (or
# holds PHRASE); (2) `outagesim run FILE --out SCRATCH/NAME` exits with 2 and leaves nothing at
# SCRATCH/NAME.
cmake_minimum_required(VERSION 3.20)

foreach(var OUTAGESIM NAME SCRATCH)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_bad.cmake: -D${var}=... is required")
  endif()
endforeach()

set(failures "")
function(fail text)
  set(failures "${failures}  - ${text}\n" PARENT_SCOPE)
endfunction()

# --- The input ----------------------------------------------------------------------------------
if(DEFINED GENERATE AND NOT GENERATE STREQUAL "")
  set(workdir "${SCRATCH}/gen/${NAME}")
  set(file "${NAME}.yaml")
  set(path "${workdir}/${file}")
  file(REMOVE_RECURSE "${workdir}")
  file(MAKE_DIRECTORY "${workdir}")
  set(valid_head "scenario:\n  name: ${NAME}\n  duration: 1h\n")
  if(GENERATE STREQUAL "huge-file")
    # A valid scenario padded with comment lines to 17 MiB: too big, whatever it holds.
    string(REPEAT "#" 63 line)
    string(REPEAT "${line}\n" 278528 padding)
    file(WRITE "${path}" "${valid_head}${padding}")
  elseif(GENERATE STREQUAL "binary-junk")
    # The start of a valid scenario followed by a compiled program (control bytes, NUL bytes,
    # invalid UTF-8), 64 KiB in all.
    file(WRITE "${workdir}/head.txt" "${valid_head}")
    execute_process(COMMAND cat "${workdir}/head.txt" "${OUTAGESIM}" COMMAND head -c 65536
                    OUTPUT_FILE "${path}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot generate ${path}: ${rc}")
    endif()
  elseif(GENERATE STREQUAL "zeros")
    # 1 MiB of NUL bytes.
    execute_process(COMMAND head -c 1048576 /dev/zero OUTPUT_FILE "${path}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot generate ${path}: head exited with ${rc}")
    endif()
  elseif(GENERATE STREQUAL "deep-flow")
    # 10000 nested flow lists as the value of a key.
    string(REPEAT "[" 10000 open)
    string(REPEAT "]" 10000 close)
    file(WRITE "${path}" "${valid_head}  description: ${open}${close}\n")
  elseif(GENERATE STREQUAL "deep-block")
    # 10000 nested block sequences ("- - - ... x"), the document itself.
    string(REPEAT "- " 10000 dashes)
    file(WRITE "${path}" "${dashes}x\n")
  elseif(GENERATE STREQUAL "billion-laughs")
    # The classic: 10 levels of anchors, each a list of 10 aliases of the level below (10^10 nodes).
    set(text "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
    foreach(i RANGE 1 9)
      math(EXPR below "${i} - 1")
      string(REPEAT "*l${below}, " 9 aliases)
      string(APPEND text "l${i}: &l${i} [${aliases}*l${below}]\n")
    endforeach()
    file(WRITE "${path}" "${text}")
  elseif(GENERATE STREQUAL "many-nodes")
    # Under the size limit (about 14 MiB) but more than 2 million nodes: a list of 7 million items.
    string(REPEAT "x," 1048576 mega)
    string(REPEAT "${mega}" 7 items)
    file(WRITE "${path}" "${valid_head}  description: [${items}x]\n")
  elseif(GENERATE STREQUAL "fifo")
    # A named pipe where the scenario should be: reading it would wait for a writer forever.
    execute_process(COMMAND mkfifo "${path}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot generate ${path}: mkfifo exited with ${rc}")
    endif()
  elseif(GENERATE STREQUAL "device")
    # A device that never ends (/dev/zero), under a scenario's name.
    file(CREATE_LINK /dev/zero "${path}" SYMBOLIC)
  elseif(GENERATE STREQUAL "directory")
    file(MAKE_DIRECTORY "${path}")
  elseif(GENERATE STREQUAL "bz2-bomb")
    # A scenario whose CAIDA AS-relationship file is a decompression bomb: 48 concatenated bzip2
    # streams of 8 MiB of zeros each (384 MiB of text from a few kilobytes).
    execute_process(COMMAND sh -c "head -c 8388608 /dev/zero | bzip2 -9 > one.bz2 && for i in $(seq 48); do cat one.bz2; done > bomb.as-rel.txt.bz2"
                    WORKING_DIRECTORY "${workdir}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot generate the bomb: ${rc}")
    endif()
    file(WRITE "${path}" "${valid_head}bgp:\n  topology: {caida: bomb.as-rel.txt.bz2}\n")
  elseif(GENERATE STREQUAL "zero-bytes")
    file(WRITE "${path}" "")
  elseif(GENERATE STREQUAL "random-text")
    # 64 KiB of seeded random characters, YAML punctuation included.
    string(RANDOM LENGTH 65536 RANDOM_SEED 20211004
           ALPHABET "abcxyz019 :-[]{},#&*!|>'\"%@?\n\n\n  " junk)
    file(WRITE "${path}" "${junk}")
  else()
    message(FATAL_ERROR "check_bad.cmake: unknown GENERATE=${GENERATE}")
  endif()
else()
  foreach(var CASE ERR)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "check_bad.cmake: -D${var}=... is required (or -DGENERATE=...)")
    endif()
  endforeach()
  get_filename_component(workdir "${CASE}" DIRECTORY)
  get_filename_component(file "${CASE}" NAME)
  if(NOT EXISTS "${ERR}")
    message(FATAL_ERROR "${NAME}: no expected stderr file ${ERR}")
  endif()
  file(READ "${ERR}" expected)
endif()

set(extra_args "")
if(DEFINED ARGS_FILE AND NOT ARGS_FILE STREQUAL "" AND EXISTS "${ARGS_FILE}")
  file(STRINGS "${ARGS_FILE}" extra_args)
endif()

# A command must end by itself, with exit code exactly 2 (a signal shows as a text in CMake). The
# limit catches a hang, not slowness: the multi-million-node inputs take ~10 s alone and more when
# the machine is shared (sanitizers, parallel tests), so generated inputs get more room (TIMEOUT).
if(NOT DEFINED TIMEOUT OR TIMEOUT STREQUAL "")
  set(TIMEOUT 20)
  if(DEFINED GENERATE AND NOT GENERATE STREQUAL "")
    set(TIMEOUT 60)
  endif()
endif()
set(timeout ${TIMEOUT})
function(describe_rc rc out_var)
  if(rc STREQUAL "2")
    set(${out_var} "" PARENT_SCOPE)
  elseif(rc MATCHES "^[0-9]+$")
    set(${out_var} "exit code ${rc}, expected 2" PARENT_SCOPE)
  else()
    set(${out_var} "did not exit normally (${rc}), expected exit code 2" PARENT_SCOPE)
  endif()
endfunction()

set(mode scenario)
if(file MATCHES "\\.signals\\.yaml$")
  set(mode observed)
  set(run_dir "${SCRATCH}/observed-runs/${NAME}")
  file(REMOVE_RECURSE "${run_dir}")
  file(MAKE_DIRECTORY "${run_dir}")
  file(COPY "${FIXTURES}/run/summary.json" DESTINATION "${run_dir}")
  set(command score "${run_dir}" "${file}")
elseif(file MATCHES "\\.json$")
  set(mode summary)
  set(run_dir "${SCRATCH}/summaries/${NAME}")
  file(REMOVE_RECURSE "${run_dir}")
  file(MAKE_DIRECTORY "${run_dir}")
  file(COPY_FILE "${workdir}/${file}" "${run_dir}/summary.json")
  set(command score "${NAME}" "${FIXTURES}/observed.signals.yaml")
  set(workdir "${SCRATCH}/summaries")
else()
  set(command validate "${file}")
endif()

# --- (1) validate -------------------------------------------------------------------------------
execute_process(
  COMMAND "${OUTAGESIM}" ${command} ${extra_args}
  WORKING_DIRECTORY "${workdir}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT ${timeout})
describe_rc("${rc}" problem)
if(problem)
  fail("validate ${file}: ${problem}")
endif()

# Every line FILE:LINE:COL: error: MESSAGE (FILE may be an included file or a --set override).
string(REGEX REPLACE "\n$" "" err_body "${err}")
if(err_body STREQUAL "")
  fail("validate ${file}: nothing on stderr, expected FILE:LINE:COL: error: lines")
else()
  # Line by line without CMake lists (a '[' or ';' in a message would confuse them).
  set(rest_lines "${err_body}\n")
  while(NOT rest_lines STREQUAL "")
    string(FIND "${rest_lines}" "\n" nl)
    string(SUBSTRING "${rest_lines}" 0 ${nl} line)
    math(EXPR nl "${nl} + 1")
    string(SUBSTRING "${rest_lines}" ${nl} -1 rest_lines)
    if(NOT line MATCHES "^[^ ].*:[0-9]+:[0-9]+: error: [^ ]")
      fail("validate ${file}: stderr line is not FILE:LINE:COL: error: MESSAGE: '${line}'")
    endif()
  endwhile()
endif()

if(DEFINED GENERATE AND NOT GENERATE STREQUAL "")
  string(LENGTH "${file}:" prefix_len)
  string(SUBSTRING "${err}" 0 ${prefix_len} prefix)
  string(SUBSTRING "${err}" ${prefix_len} -1 rest)
  if(NOT prefix STREQUAL "${file}:" OR NOT rest MATCHES "^[0-9]+:[0-9]+: error: ")
    fail("validate ${file}: stderr does not start with ${file}:LINE:COL: error: ")
  endif()
  if(NOT PHRASE STREQUAL "")
    string(FIND "${err}" "${PHRASE}" at)
    if(at EQUAL -1)
      fail("validate ${file}: stderr does not say '${PHRASE}'")
    endif()
  endif()
  set(expected_text "FILE:LINE:COL: error: ...${PHRASE}...")
elseif(NOT err STREQUAL expected)
  fail("validate ${file}: stderr differs from ${ERR}")
endif()
set(details "")
if(failures)
  if(expected_text)
    set(shown_expected "${expected_text}\n")
  else()
    set(shown_expected "${expected}")
  endif()
  string(APPEND details "--- expected stderr\n${shown_expected}"
                        "--- actual stderr\n${err}")
  if(NOT out STREQUAL "")
    string(APPEND details "--- actual stdout\n${out}")
  endif()
endif()

# --- (2) run: same exit code, nothing written ---------------------------------------------------
if(NOT mode STREQUAL "scenario")
  if(EXISTS "${run_dir}/score.csv")
    fail("score ${file}: wrote ${run_dir}/score.csv")
  endif()
  if(mode STREQUAL "observed")
    # The other two commands that read an observed record refuse it the same way: `compare`
    # before running any hypothesis, `report --observed` before writing the page.
    set(compare_out "${SCRATCH}/observed-compare/${NAME}")
    file(REMOVE_RECURSE "${compare_out}")
    foreach(other compare report)
      if(other STREQUAL "compare")
        set(other_command compare --observed "${file}" "${FIXTURES}/base.yaml" --out "${compare_out}" --quiet)
      else()
        set(other_command report "${run_dir}" --observed "${file}")
      endif()
      execute_process(
        COMMAND "${OUTAGESIM}" ${other_command}
        WORKING_DIRECTORY "${workdir}"
        RESULT_VARIABLE rc
        OUTPUT_VARIABLE other_out
        ERROR_VARIABLE other_err
        TIMEOUT ${timeout})
      describe_rc("${rc}" problem)
      if(problem)
        fail("${other} ${file}: ${problem}")
      endif()
      if(NOT other_err STREQUAL expected)
        fail("${other} ${file}: stderr differs from ${ERR}")
        string(APPEND details "--- ${other} stderr\n${other_err}")
      endif()
    endforeach()
    if(EXISTS "${compare_out}")
      fail("compare ${file}: wrote ${compare_out}")
    endif()
    if(EXISTS "${run_dir}/report.html")
      fail("report ${file}: wrote ${run_dir}/report.html")
    endif()
  endif()
  if(failures)
    message(NOTICE "bad input ${NAME}:\n${failures}${details}")
    message(FATAL_ERROR "bad input ${NAME}: failed, see above")
  endif()
  message(STATUS "${NAME}: exit 2, expected errors, no score written")
  return()
endif()
set(out_dir "${SCRATCH}/${NAME}")
file(REMOVE_RECURSE "${out_dir}")
execute_process(
  COMMAND "${OUTAGESIM}" run "${file}" --out "${out_dir}" ${extra_args}
  WORKING_DIRECTORY "${workdir}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE run_out
  ERROR_VARIABLE run_err
  TIMEOUT ${timeout})
describe_rc("${rc}" problem)
if(problem)
  fail("run ${file}: ${problem}")
  string(APPEND details "--- run stderr\n${run_err}")
endif()
if(EXISTS "${out_dir}")
  file(GLOB_RECURSE left RELATIVE "${SCRATCH}" "${out_dir}/*")
  fail("run ${file}: left ${out_dir} behind (${left})")
  file(REMOVE_RECURSE "${out_dir}")
endif()

if(failures)
  # The details verbatim (FATAL_ERROR would re-wrap the lines being compared).
  message(NOTICE "bad scenario ${NAME}:\n${failures}${details}")
  message(FATAL_ERROR "bad scenario ${NAME}: failed, see above")
endif()
if(DEFINED GENERATE AND NOT GENERATE STREQUAL "")
  file(REMOVE_RECURSE "${workdir}")  # some of these are large
endif()
message(STATUS "${NAME}: exit 2, expected errors, no output left")
