// What a handler returns for a short request, and how it is written through
// libfcgi. Streams do not return a Response: they are handed to the hub.
#pragma once

#include <fcgiapp.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace palabre::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // True when the handler gave the connection to the hub: nothing to write.
  bool handed_off = false;

  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static Response text(std::string content_type, std::string body) {
    Response r;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
  }
  static Response no_content() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
  static Response handed_off_to_hub() {
    Response r;
    r.handed_off = true;
    return r;
  }
  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// {"error":{"code":"...","message":"..."}} with the status from core/error.
Response error_response(const Error& error);
std::string status_line(int status);  // "200 OK"

// Status line, headers and body as CGI output (what nginx reads from STDOUT).
std::string response_text(const Response& response);
// Writes status line, headers and body to the libfcgi output stream.
void write_response(FCGX_Stream* out, const Response& response);

}  // namespace palabre::http
