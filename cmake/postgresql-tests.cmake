# The tests again with the SQL store on PostgreSQL: each entry runs under
# tests/support/with-postgres, which starts a private server (unix socket
# only) and stops it at the end. ./dev test's first stage runs them with
# every other entry; its ASan stage selects ^(unit|integration\.) and so
# leaves them out.
set(WITH_POSTGRES ${CMAKE_SOURCE_DIR}/tests/support/with-postgres)

# The store suites, the admin commands and what only PostgreSQL has.
add_test(NAME postgres.store COMMAND ${WITH_POSTGRES} $<TARGET_FILE:palabre_unit_tests>
         --log_level=test_suite
         --run_test=sql_store,sql_store_more,privacy_store,admin_commands,postgres_store)
set_tests_properties(postgres.store PROPERTIES TIMEOUT 300 LABELS postgres)

# The integration files whose workers (and palabre-admin) then run on
# PostgreSQL: tests/support/cluster.js gives each cluster its own database.
# authz_matrix is left out: it proves that refused calls change nothing by
# snapshotting every SQLite table (sqlite_master, rowid), and what it checks,
# authorisation, does not depend on the store. three_hosts runs its own
# PostgreSQL on one of its hosts already (tests/support/three_hosts.js).
# redis_sentinel_silent times the hub's pings while it looks the Redis
# master up; no SQL is on that path.
set(PALABRE_PG_INTEGRATION_SKIP authz_matrix three_hosts redis_sentinel_silent)
if(NODE)
  foreach(t ${INTEGRATION_TESTS})
    get_filename_component(name ${t} NAME_WE)
    if(name IN_LIST PALABRE_PG_INTEGRATION_SKIP)
      continue()
    endif()
    add_test(NAME integration-pg.${name} COMMAND ${WITH_POSTGRES} ${NODE} --test --test-reporter=spec ${t})
    set_tests_properties(integration-pg.${name} PROPERTIES
      ENVIRONMENT "PALABRE_BUILD_DIR=${CMAKE_BINARY_DIR};PALABRE_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
      TIMEOUT 900 LABELS integration-pg)
  endforeach()
endif()
