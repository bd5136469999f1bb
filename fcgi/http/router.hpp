// Maps "METHOD /path/{param}/..." to handlers. Built once at start-up, then
// read-only and shared by every accept thread. Each route keeps its template
// ("/api/events/{id}/stream") as its name, used for metrics labels, and the
// access rule it was declared with (a Rule is required: a route cannot be
// added without saying who may call it; the dispatcher enforces it).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace palabre::http {

using PathParams = std::map<std::string, std::string, std::less<>>;

std::vector<std::string_view> split_path(std::string_view path);

template <typename Handler, typename Rule>
class Router {
 public:
  struct Route {
    std::string method;
    std::string name;  // the template
    std::vector<std::string> segments;
    Rule access;
    Handler handler;
  };
  struct Match {
    const Route* route = nullptr;  // null: no route
    bool wrong_method = false;     // the path exists with another method
    PathParams params;
  };

  void add(std::string method, std::string templ, Rule access, Handler handler) {
    Route r{std::move(method), templ, {}, access, std::move(handler)};
    for (auto s : split_path(templ)) r.segments.emplace_back(s);
    routes_.push_back(std::move(r));
  }

  Match match(std::string_view method, std::string_view path) const {
    Match result;
    auto parts = split_path(path);
    for (const auto& route : routes_) {
      PathParams params;
      if (!matches(route, parts, params)) continue;
      if (route.method == method || (method == "HEAD" && route.method == "GET")) {
        result.route = &route;
        result.params = std::move(params);
        result.wrong_method = false;
        return result;
      }
      result.wrong_method = true;
    }
    return result;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool matches(const Route& route, const std::vector<std::string_view>& parts,
                      PathParams& params) {
    if (route.segments.size() != parts.size()) return false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string& seg = route.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        if (parts[i].empty()) return false;
        params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else if (seg != parts[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

inline std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

}  // namespace palabre::http
