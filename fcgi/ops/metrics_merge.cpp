#include "ops/metrics_merge.hpp"

#include <map>

namespace palabre::ops {
namespace {

struct Family {
  std::vector<std::string> header;  // "# HELP" and "# TYPE" lines, from the first worker that had them
  std::string header_from;          // that worker
  std::string samples;
};

std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

// "name{a="b"} 1" -> "name{worker="w",a="b"} 1"; "name 1" -> "name{worker="w"} 1".
// The label goes first: no need to find the closing brace past label values
// that may hold braces themselves (route templates do).
std::string labelled(std::string_view line, const std::string& worker_label) {
  size_t name_end = line.find_first_of("{ ");
  if (name_end == std::string_view::npos) return std::string(line);
  std::string out(line.substr(0, name_end));
  out += "{worker=\"" + worker_label + "\"";
  if (line[name_end] == '{') {
    std::string_view rest = line.substr(name_end + 1);
    if (!rest.empty() && rest.front() != '}') out += ',';
    out += rest;
  } else {
    out += '}';
    out += line.substr(name_end);
  }
  return out;
}

// The family a "# HELP name ..." or "# TYPE name ..." line is about.
std::string_view header_name(std::string_view line) {
  std::string_view rest = line.substr(7);  // "# HELP " and "# TYPE " are 7 characters
  return rest.substr(0, rest.find(' '));
}

}  // namespace

std::string merge_metrics(const std::vector<WorkerMetrics>& workers) {
  std::vector<std::string> order;
  std::map<std::string, Family, std::less<>> families;
  for (const auto& w : workers) {
    const std::string label = label_value(w.worker);
    std::string current;  // the family of the lines that follow its header
    std::string_view text = w.text;
    while (!text.empty()) {
      size_t eol = text.find('\n');
      std::string_view line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
      if (line.empty()) continue;
      const bool header = line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0;
      if (line.front() == '#' && !header) continue;
      std::string_view name = header ? header_name(line) : line.substr(0, line.find_first_of("{ "));
      if (header || current.empty()) current = std::string(name);
      auto [it, added] = families.try_emplace(current);
      if (added) order.push_back(current);
      Family& f = it->second;
      if (header) {
        // The first worker's header lines only; later workers repeat them.
        if (f.header_from.empty()) f.header_from = w.worker;
        if (f.header_from == w.worker) f.header.emplace_back(line);
        continue;
      }
      f.samples += labelled(line, label);
      f.samples += '\n';
    }
  }
  std::string out;
  for (const auto& name : order) {
    const Family& f = families.find(name)->second;
    for (const auto& h : f.header) out += h + '\n';
    out += f.samples;
  }
  return out;
}

}  // namespace palabre::ops
