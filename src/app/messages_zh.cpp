#include "app/messages_zh.hpp"

#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>
#include <vector>

namespace xiaoan::app {
namespace {

const std::unordered_map<std::string, std::string>& Exact() {
  static const std::unordered_map<std::string, std::string> m{
      {"A quoted field is not closed.", "引号括起的字段没有结束。"},
      {"A school identifier has 10 digits.", "学校标识码为10位数字。"},
      {"A school without boarding has no boarding students.", "非寄宿学校不能有寄宿生。"},
      {"Administrator accounts are created with the command line.", "管理员账号只能通过命令行创建。"},
      {"Administrator accounts are managed with the command line.", "管理员账号只能通过命令行管理。"},
      {"Administrators belong to the province.", "管理员账号属于省级单位。"},
      {"An internal error occurred.", "系统内部错误。"},
      {"At least 183 days (6 months).", "至少183天（6个月）。"},
      {"Bureau roles belong to a province, city or county.", "教育局角色只能属于省、市、县级单位。"},
      {"Change your password before going on.", "请先修改密码。"},
      {"Choose a password different from the current one.", "新密码不能与当前密码相同。"},
      {"Control characters are not allowed.", "不能包含控制字符。"},
      {"Broken percent-encoding (%XX).", "URL 百分号编码（%XX）不正确。"},
      {"Each row is an object.", "每一行必须是一个对象。"},
      {"Enter the 6-digit code from your authenticator app.", "请输入身份验证器中的6位动态口令。"},
      {"Expected a JSON object.", "应为JSON对象。"},
      {"Expected a list.", "应为列表。"},
      {"Expected a string.", "应为字符串。"},
      {"Expected an integer.", "应为整数。"},
      {"Expected an object.", "应为对象。"},
      {"Expected true or false.", "应为 true 或 false。"},
      {"Give 1 to 50 characters of a name or a code.", "请输入1至50个字符的名称或代码。"},
      {"Give a name of 1 to 100 characters.", "名称应为1至100个字符。"},
      {"Give a whole number of 0 or more.", "应为不小于0的整数。"},
      {"Log in first.", "请先登录。"},
      {"Must not be empty.", "不能为空。"},
      {"Must not contain the username.", "不能包含用户名。"},
      {"No rows to import.", "没有可导入的行。"},
      {"No such county-level unit in your jurisdiction.", "您的管辖范围内没有这个县级单位。"},
      {"No such org unit in your jurisdiction.", "您的管辖范围内没有这个单位。"},
      {"Nobody changes their own role or status.", "不能修改自己的角色或状态。"},
      {"Not valid UTF-8.", "不是有效的UTF-8文本。"},
      {"Nothing was imported: fix the rows listed and try again.", "未导入任何数据：请修改所列各行后重试。"},
      {"Only schools can be deactivated.", "只能停用学校。"},
      {"Only schools can be edited here.", "这里只能编辑学校。"},
      {"Only the audit administrator reads the audit log.", "只有审计管理员可以查看审计日志。"},
      {"Out of range.", "超出范围。"},
      {"School roles belong to a school.", "学校角色只能属于学校。"},
      {"Schools belong to a county-level unit.", "学校只能隶属于县级单位。"},
      {"The HTTP request is malformed.", "HTTP请求格式错误。"},
      {"The authenticator code is wrong or already used.", "动态口令错误或已被使用。"},
      {"The body is not valid JSON.", "请求体不是有效的JSON。"},
      {"The current password is wrong.", "当前密码错误。"},
      {"The data conflicts with existing records.", "数据与已有记录冲突。"},
      {"The file has no rows.", "文件中没有数据行。"},
      {"The file is empty.", "文件为空。"},
      {"The request has invalid fields.", "请求中有字段不正确。"},
      {"The request lacks a valid CSRF token.", "请求缺少有效的CSRF令牌。"},
      {"The store is shutting down.", "系统正在关闭。"},
      {"The username or password is wrong.", "用户名或密码错误。"},
      {"This field is required.", "此项为必填项。"},
      {"This school identifier appears twice in the file.", "文件中该学校标识码重复出现。"},
      {"This school identifier is already in use.", "该学校标识码已被使用。"},
      {"This username is taken.", "该用户名已被占用。"},
      {"Too large.", "过大。"},
      {"Unknown column.", "未知的列。"},
      {"Unknown field.", "未知的字段。"},
      {"Unknown role.", "未知的角色。"},
      {"Unknown school type.", "未知的学校类型。"},
      {"Unknown school type: use kindergarten, primary, junior, senior, nine_year, twelve_year, special or vocational.",
       "未知的学校类型：请填写幼儿园、小学、初级中学、高级中学、九年一贯制学校、十二年一贯制学校、特殊教育学校或中等职"
       "业学校。"},
      {"Use RFC 3339 (2026-11-28T08:00:00+08:00) or YYYY-MM-DD.", "请使用 RFC 3339 时间或 YYYY-MM-DD 日期。"},
      {"Use at least three of: upper-case letters, lower-case letters, digits, symbols.",
       "至少包含大写字母、小写字母、数字、符号中的三类。"},
      {"Use success, failure or denied.", "请使用 success、failure 或 denied。"},
      {"Use true or false.", "请填写“是”或“否”（true 或 false）。"},
      {"Use urban, town or rural.", "请填写城区、镇区或乡村（urban、town 或 rural）。"},
      {"You cannot assign this role.", "您不能授予该角色。"},
      {"Your role cannot change accounts.", "您的角色不能修改账号。"},
      {"Your role cannot change schools.", "您的角色不能修改学校信息。"},
      {"Your role cannot create accounts.", "您的角色不能创建账号。"},
      {"Your role cannot list accounts.", "您的角色不能查看账号列表。"},
      {"Your role cannot reset this password.", "您的角色不能重置该密码。"},
      {"Your role cannot see other accounts.", "您的角色不能查看其他账号。"},
      {"Your role cannot unlock this account.", "您的角色不能解锁该账号。"},
      {"Your session has ended. Please log in again.", "会话已结束，请重新登录。"},
  };
  return m;
}

struct Pattern {
  std::regex re;
  std::string zh;  // $1, $2 refer to the captures
};

const std::vector<Pattern>& Patterns() {
  static const std::vector<Pattern> p{
      {std::regex(R"(^At most (\d+) characters\.$)"), "最多$1个字符。"},
      {std::regex(R"(^At least (\d+) characters\.$)"), "至少$1个字符。"},
      {std::regex(R"(^At most (\d+) items\.$)"), "最多$1项。"},
      {std::regex(R"(^At most (\d+) rows per file\.$)"), "每个文件最多$1行。"},
      {std::regex(R"(^Must be between (-?\d+) and (-?\d+)\.$)"), "应在$1至$2之间。"},
      {std::regex(R"(^Must be an integer between (-?\d+) and (-?\d+)\.$)"), "应为$1至$2之间的整数。"},
      {std::regex(R"(^Expected a list of at most (\d+) strings\.$)"), "应为最多$1个字符串的列表。"},
      {std::regex(R"(^Each item must be a non-empty string of at most (\d+) characters\.$)"),
       "每一项应为不超过$1个字符的非空字符串。"},
      {std::regex(R"(^The body is larger than (\d+) bytes\.$)"), "请求体超过$1字节。"},
      {std::regex(R"(^The request headers are larger than (\d+) bytes\.$)"), "请求头超过$1字节。"},
      {std::regex(R"(^The account is locked after (\d+) failed attempts\. Try again in (\d+) minutes\.$)"),
       "连续$1次登录失败，账号已锁定，请$2分钟后再试。"},
      {std::regex(R"(^Missing column (\S+) \((.+)\)\.$)"), "缺少列：$2（$1）。"},
      {std::regex(R"(^(\S+) is not allowed here\.$)"), "此处不允许 $1 请求。"},
      {std::regex(R"(^Org unit (\S+) was not found\.$)"), "找不到单位 $1。"},
      {std::regex(R"(^User (\S+) was not found\.$)"), "找不到用户 $1。"},
      {std::regex(R"(^The resource (\S+) was not found\.$)"), "找不到资源 $1。"},
  };
  return p;
}

}  // namespace

std::string TranslateToChinese(const std::string& english) {
  if (auto it = Exact().find(english); it != Exact().end()) return it->second;
  for (const auto& p : Patterns()) {
    if (std::regex_match(english, p.re)) return std::regex_replace(english, p.re, p.zh);
  }
  return english;
}

bool PrefersChinese(const http::Request& request) {
  auto lang = request.Header("accept-language");
  if (!lang) return false;
  std::string first = lang->substr(0, lang->find_first_of(",;"));
  while (!first.empty() && first.front() == ' ') first.erase(0, 1);
  return first.size() >= 2 && (first[0] == 'z' || first[0] == 'Z') && (first[1] == 'h' || first[1] == 'H');
}

void LocaliseProblem(http::Response& response) {
  if (response.content_type != "application/problem+json") return;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return;
  if (body.contains("detail") && body["detail"].is_string())
    body["detail"] = TranslateToChinese(body["detail"].get<std::string>());
  if (body.contains("errors") && body["errors"].is_array()) {
    for (auto& e : body["errors"])
      if (e.contains("message") && e["message"].is_string())
        e["message"] = TranslateToChinese(e["message"].get<std::string>());
  }
  response.body = body.dump();
  response.headers.emplace_back("Content-Language", "zh-CN");
}

}  // namespace xiaoan::app
