#include "http/response.hpp"

#include "http/json.hpp"

namespace palabre::http {

std::string status_line(int status) {
  const char* reason = "OK";
  switch (status) {
    case 200: reason = "OK"; break;
    case 201: reason = "Created"; break;
    case 202: reason = "Accepted"; break;
    case 204: reason = "No Content"; break;
    case 400: reason = "Bad Request"; break;
    case 401: reason = "Unauthorized"; break;
    case 403: reason = "Forbidden"; break;
    case 404: reason = "Not Found"; break;
    case 405: reason = "Method Not Allowed"; break;
    case 409: reason = "Conflict"; break;
    case 413: reason = "Payload Too Large"; break;
    case 429: reason = "Too Many Requests"; break;
    case 500: reason = "Internal Server Error"; break;
    case 503: reason = "Service Unavailable"; break;
    default: reason = "Status"; break;
  }
  return std::to_string(status) + " " + reason;
}

Response error_response(const Error& error) {
  JsonWriter w;
  w.start_object();
  w.key("error");
  w.start_object();
  w.field("code", code_name(error.code()));
  w.field("message", error.what());
  for (const auto& [name, value] : error.details) w.field(name, value);
  w.end_object();
  w.end_object();
  Response r = Response::json(http_status(error.code()), w.take());
  if (error.retry_after > 0) r.with_header("Retry-After", std::to_string(error.retry_after));
  if (error.code() == Code::unauthorized) r.with_header("WWW-Authenticate", "Bearer");
  return r;
}

std::string response_text(const Response& response) {
  std::string head = "Status: " + status_line(response.status) + "\r\n";
  if (!response.content_type.empty()) head += "Content-Type: " + response.content_type + "\r\n";
  bool has_cache_control = false;
  for (const auto& [name, value] : response.headers) {
    if (name == "Cache-Control") has_cache_control = true;
    head += name + ": " + value + "\r\n";
  }
  if (!has_cache_control) head += "Cache-Control: no-store\r\n";
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
  head += response.body;
  return head;
}

void write_response(FCGX_Stream* out, const Response& response) {
  std::string text = response_text(response);
  FCGX_PutStr(text.data(), static_cast<int>(text.size()), out);
}

}  // namespace palabre::http
