# libpq, the client library of the PostgreSQL store (fcgi/store/postgres/).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
target_link_libraries(palabre_core PUBLIC PkgConfig::LIBPQ)
