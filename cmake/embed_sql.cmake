# xiaoan_embed_sql(TARGET NAMESPACE DIR): turns every DIR/*.sql into a named constant
# `NAMESPACE::kFileName` (a xiaoan::db::Sql) in a generated header `<TARGET>_sql.hpp`.
function(xiaoan_embed_sql target ns dir)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(header ${out_dir}/${target}_sql.hpp)
  string(REPLACE ";" "," files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${CMAKE_COMMAND} -DOUT=${header} -DNS=${ns} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_sql_run.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/embed_sql_run.cmake
    COMMENT "Embedding SQL for ${target}" VERBATIM)
  target_sources(${target} PRIVATE ${header})
  target_include_directories(${target} PUBLIC ${out_dir})
endfunction()

# xiaoan_embed_text(TARGET NAMESPACE NAME FILE HEADER): the text of FILE as `NAMESPACE::NAME` in
# the generated header HEADER.
function(xiaoan_embed_text target ns name file header)
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(out ${out_dir}/${header})
  get_filename_component(in_name ${file} NAME)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DIN=${file} -DIN_NAME=${in_name} -DNS=${ns} -DNAME=${name}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_text_run.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed_text_run.cmake)
  target_sources(${target} PRIVATE ${out})
  target_include_directories(${target} PUBLIC ${out_dir})
endfunction()
