# Replays one recorded schedule and checks the exit code: run by CTest as
#   cmake -DWVSIM=... -DSCHEDULE=... -DEXPECTED=1 -P replay_seed.cmake
execute_process(COMMAND ${WVSIM} replay ${SCHEDULE} --json
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL EXPECTED)
  message(FATAL_ERROR "wvsim replay ${SCHEDULE} exited ${code}, expected ${EXPECTED}\n${out}${err}")
endif()
message(STATUS "${out}")
