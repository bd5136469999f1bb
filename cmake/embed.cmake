# Writes a C++ file exposing each embedded file as palabre::embedded::file("name").
# The name is the path relative to the source root, e.g. "sql/0001_init.sql".
string(REPLACE "," ";" FILES "${FILES}")
set(body "#include <map>\n#include <string>\n#include <string_view>\nnamespace palabre::embedded {\nnamespace {\nconst std::map<std::string, std::string_view, std::less<>>& table() {\n  static const std::map<std::string, std::string_view, std::less<>> files = {\n")
foreach(f ${FILES})
  file(READ ${f} content)
  file(RELATIVE_PATH rel ${ROOT} ${f})
  string(APPEND body "    {\"${rel}\", R\"PALABRE_EMBED(${content})PALABRE_EMBED\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace\n")
string(APPEND body "std::string_view file(std::string_view name) {\n  auto it = table().find(name);\n  return it == table().end() ? std::string_view{} : it->second;\n}\n")
string(APPEND body "std::map<std::string, std::string_view, std::less<>> all() { return table(); }\n}  // namespace palabre::embedded\n")
file(WRITE ${OUT}.tmp "${body}")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
