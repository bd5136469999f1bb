# What `cmake --install` puts where (and so what debian/ packages), for
# `cmake --install build --prefix /usr` (the FHS layout a Debian package
# needs; with another prefix, /etc and /var below become PREFIX/etc and
# PREFIX/var, decided when installing since --prefix may change then):
#
#   /usr/lib/palabre/palabre-worker      started by systemd (debian/palabre@.service)
#   /usr/bin/palabre-admin               and its man page
#   /usr/share/palabre/static/           the pages, the guide as real files
#   /usr/share/palabre/sql/              the migrations, for ops to read: the
#                                        binaries carry their own copy (embed.cmake)
#   /etc/palabre/palabre.conf            commented settings
#   /etc/nginx/conf.d/palabre.conf       http-level part of nginx/render --no-full
#   /etc/nginx/snippets/palabre*.conf    the server-level snippet and its includes
#   /usr/share/palabre/secrets.conf      template of /etc/palabre/secrets.conf
#   /usr/share/doc/palabre/examples/     full nginx site, Redis instance recipe,
#                                        docs/examples/
include(GNUInstallDirs)

set(PALABRE_LIBEXEC_DIR ${CMAKE_INSTALL_LIBDIR}/palabre)
# Debian's libdir is multiarch (lib/x86_64-linux-gnu); the worker is no
# library, it lives in /usr/lib/palabre like other daemons' helpers.
if(CMAKE_INSTALL_LIBDIR MATCHES "^lib/")
  set(PALABRE_LIBEXEC_DIR lib/palabre)
endif()
set(PALABRE_DATA_DIR ${CMAKE_INSTALL_DATADIR}/palabre)

install(TARGETS palabre-worker RUNTIME DESTINATION ${PALABRE_LIBEXEC_DIR})
install(TARGETS palabre-admin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/man/palabre-admin.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# static/guide is a link to ../docs in the tree: installed as the files it
# points to, so that the package does not depend on the source layout.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/static/ DESTINATION ${PALABRE_DATA_DIR}/static
        PATTERN guide EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${PALABRE_DATA_DIR}/static/guide
        PATTERN examples EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sql/ DESTINATION ${PALABRE_DATA_DIR}/sql
        FILES_MATCHING PATTERN "*.sql")

# The secrets file is not shipped in /etc (it would be a conffile holding
# secrets): the package's postinst copies this template there, 0640.
install(FILES ${CMAKE_SOURCE_DIR}/dist/secrets.conf DESTINATION ${PALABRE_DATA_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/dist/redis-palabre.conf
              ${CMAKE_SOURCE_DIR}/dist/nginx-site.conf
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
if(EXISTS ${CMAKE_SOURCE_DIR}/docs/examples)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
endif()

# The configuration and the nginx files go to /etc, the nginx cache to /var
# for the prefixes /usr and / (as GNUInstallDirs decides, but at install
# time). The nginx files are rendered by nginx/render, as ops would, for the
# installed paths: the worker's two sockets from palabre.socket, the pages
# above, the cache directory the package creates. render writes absolute
# include paths and checks that the static directory exists: it renders
# into a scratch directory, with the static directory just installed under
# DESTDIR, and both paths are then replaced by the ones nginx reads.
install(CODE "
  set(prefix \"\${CMAKE_INSTALL_PREFIX}\")
  if(prefix STREQUAL \"/usr\" OR prefix STREQUAL \"/\")
    set(etc /etc)
    set(var /var)
  else()
    set(etc \"\${prefix}/etc\")
    set(var \"\${prefix}/var\")
  endif()
  set(static \"\${prefix}/${PALABRE_DATA_DIR}/static\")
  string(REPLACE \"//\" \"/\" static \"\${static}\")
  file(INSTALL \"${CMAKE_SOURCE_DIR}/dist/palabre.conf\" DESTINATION \"\${etc}/palabre\")  # file(INSTALL) adds DESTDIR itself

  set(scratch \"${CMAKE_BINARY_DIR}/nginx-install\")
  file(REMOVE_RECURSE \"\${scratch}\")
  execute_process(COMMAND \"${CMAKE_SOURCE_DIR}/nginx/render\" --out \"\${scratch}\" --no-full
                          --static-dir \"\$ENV{DESTDIR}\${static}\"
                          --cache-dir \"\${var}/cache/palabre/nginx\"
                          /run/palabre/fcgi.sock
                  COMMAND_ERROR_IS_FATAL ANY)
  file(GLOB rendered \"\${scratch}/*.conf\")
  foreach(f \${rendered})
    get_filename_component(name \"\${f}\" NAME)
    file(READ \"\${f}\" text)
    string(REPLACE \"\${scratch}/\" \"\${etc}/nginx/snippets/\" text \"\${text}\")
    string(REPLACE \"\$ENV{DESTDIR}\${static}\" \"\${static}\" text \"\${text}\")
    # The upstream and the cache zone belong at http {} level: Debian's
    # nginx.conf reads conf.d/*.conf there. The rest is included in a server.
    if(name STREQUAL \"palabre-upstream.conf\")
      set(dest \"\$ENV{DESTDIR}\${etc}/nginx/conf.d/palabre.conf\")
    else()
      set(dest \"\$ENV{DESTDIR}\${etc}/nginx/snippets/\${name}\")
    endif()
    message(STATUS \"Installing: \${dest}\")
    file(WRITE \"\${dest}\" \"\${text}\")
  endforeach()
")
