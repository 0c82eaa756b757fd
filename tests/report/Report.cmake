# report: report.html opens offline in headless Chromium with no console message and no network
# request, and draws its charts (skipped where chromium is not installed; scripts/deps.sh installs it).
set(_report_dir ${CMAKE_CURRENT_LIST_DIR})
find_program(OUTAGESIM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME report/facebook-2021
         COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DPYTHON=${OUTAGESIM_PYTHON}
                 -DSCENARIO=scenarios/facebook-2021/scenario.yaml
                 -DOBSERVED=${PROJECT_SOURCE_DIR}/../shared/data/observed/facebook-2021.signals.yaml
                 -DOUT=${CMAKE_BINARY_DIR}/report-out/facebook-2021 -DSHOT=${CMAKE_BINARY_DIR}/report-out/facebook-2021.png
                 -P ${_report_dir}/check_report.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(report/facebook-2021 PROPERTIES LABELS report TIMEOUT 600 SKIP_REGULAR_EXPRESSION "-- skipped: ")
add_test(NAME report/compare
         COMMAND ${CMAKE_COMMAND} -DOUTAGESIM=$<TARGET_FILE:outagesim> -DPYTHON=${OUTAGESIM_PYTHON}
                 -DCOMPARE=${PROJECT_SOURCE_DIR}/tests/compare -DOUT=${CMAKE_BINARY_DIR}/report-out/compare
                 -DSHOT=${CMAKE_BINARY_DIR}/report-out/compare.png -P ${_report_dir}/check_report.cmake
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(report/compare PROPERTIES LABELS report TIMEOUT 300 SKIP_REGULAR_EXPRESSION "-- skipped: ")
# The checker itself must catch a page that goes online.
add_test(NAME report/checker-catches-network
         COMMAND ${OUTAGESIM_PYTHON} ${_report_dir}/check_page.py ${_report_dir}/online-page.html
                 ${CMAKE_BINARY_DIR}/report-out/online-page.png --expect-failure)
set_tests_properties(report/checker-catches-network PROPERTIES LABELS report TIMEOUT 300
                     SKIP_REGULAR_EXPRESSION "-- skipped: ")
