# Script mode: writes OUT declaring `inline constexpr std::string_view NAME` with the text of IN.
file(READ ${IN} body)
file(WRITE ${OUT}.tmp "// Generated from ${IN_NAME}; do not edit.\n#pragma once\n#include <string_view>\nnamespace ${NS} {\ninline constexpr std::string_view ${NAME} = R\"__text__(${body})__text__\";\n}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
