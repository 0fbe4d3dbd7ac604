#include "response_parser.hpp"
#include "test_support.hpp"

using nexus::openai::parse_upstream_response;
using nexus::sdk::UpstreamError;
using openai_test::Headers;

namespace {

constexpr int64_t kNow = 1727346168000;  // fixed clock for retry-after dates

// Shapes from https://platform.openai.com/docs/api-reference/chat/object (2025), with
// service_tier and the detailed usage OpenAI sends today.
const std::string kChatCompletion = R"({
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4.1-2025-04-14",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "Hello! How can I assist you today?",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 19,
    "completion_tokens": 10,
    "total_tokens": 29,
    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
  },
  "service_tier": "default"
}
)";

const std::string kToolCallCompletion =
    R"({"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function","function":{"name":"get_current_weather","arguments":"{\n\"location\": \"Boston, MA\"\n}"}}],"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99,"completion_tokens_details":{"reasoning_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"system_fingerprint":"fp_6b68a8204b","unknown_future_member":{"x":1}})";

const std::string kEmbeddings = R"({
  "object": "list",
  "data": [
    {"object": "embedding", "index": 1, "embedding": "AACAPwAAAEA="},
    {"object": "embedding", "index": 0, "embedding": [0.0023064255, -0.009327292, -0.0028842222]}
  ],
  "model": "text-embedding-3-small",
  "usage": {"prompt_tokens": 8, "total_tokens": 8}
})";

const std::string kModels =
    R"({"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},{"id":"ft:gpt-4o-mini:acme::abc","object":"model","created":1721172741,"owned_by":"org-acme"}]})";

std::string_view parse_ok(nx_op op, const std::string& body, int status = 200) {
    Headers h{{"content-type", "application/json"}, {"x-request-id", "req_123"}};
    return parse_upstream_response(op, status, h.view(), body, "sk-test-key-0001", kNow);
}

UpstreamError parse_err(nx_op op, int status, const std::string& body, const Headers& h = Headers{},
                        std::string_view key = "sk-test-key-0001") {
    try {
        parse_upstream_response(op, status, h.view(), body, key, kNow);
    } catch (const UpstreamError& e) {
        return e;
    }
    FAIL("no UpstreamError for HTTP " << status << ": " << body);
    throw;
}

std::string openai_error(const std::string& message, const std::string& type, const std::string& param,
                         const std::string& code) {
    auto str = [](const std::string& s) { return s.empty() ? std::string("null") : "\"" + s + "\""; };
    // OpenAI pretty-prints error bodies with four spaces.
    return "{\n    \"error\": {\n        \"message\": \"" + message + "\",\n        \"type\": " + str(type) +
           ",\n        \"param\": " + str(param) + ",\n        \"code\": " + str(code) + "\n    }\n}\n";
}

}  // namespace

TEST_CASE("2xx chat, embeddings and models bodies pass through unchanged", "[response]") {
    CHECK(parse_ok(NX_OP_CHAT, kChatCompletion) == kChatCompletion);
    CHECK(parse_ok(NX_OP_CHAT, kToolCallCompletion) == kToolCallCompletion);
    CHECK(parse_ok(NX_OP_CHAT, kChatCompletion, 201) == kChatCompletion);
    CHECK(parse_ok(NX_OP_EMBEDDINGS, kEmbeddings) == kEmbeddings);
    CHECK(parse_ok(NX_OP_LIST_MODELS, kModels) == kModels);
    // the view is the caller's body, not a copy
    CHECK(parse_ok(NX_OP_CHAT, kChatCompletion).data() == kChatCompletion.data());
}

TEST_CASE("the token counts of a 2xx body come out of the same scan", "[response][usage]") {
    Headers h{};
    auto usage_of = [&](nx_op op, const std::string& body) {
        nexus::openai::Usage u;
        parse_upstream_response(op, 200, h.view(), body, "", kNow, &u);
        return u;
    };
    auto chat = usage_of(NX_OP_CHAT, kChatCompletion);
    CHECK(chat.prompt == 19);
    CHECK(chat.completion == 10);
    CHECK(chat.cached == 0);
    auto tools = usage_of(NX_OP_CHAT, kToolCallCompletion);  // no prompt_tokens_details
    CHECK(tools.prompt == 82);
    CHECK(tools.completion == 17);
    CHECK(tools.cached == -1);
    auto emb = usage_of(NX_OP_EMBEDDINGS, kEmbeddings);
    CHECK(emb.prompt == 8);
    CHECK(emb.completion == -1);
    // look-alikes outside usage, wrong types and negatives are not counts
    auto odd = usage_of(NX_OP_CHAT, R"({"choices":[{"message":{"content":"x","usage":{"prompt_tokens":5}}}],
        "prompt_tokens":6,"usage":{"prompt_tokens":"7","completion_tokens":-2,"extra":{"cached_tokens":3},
        "completion_tokens_details":{"cached_tokens":4},"prompt_tokens_details":{"nested":{"cached_tokens":9},"cached_tokens":2}}})");
    CHECK(odd.prompt == -1);
    CHECK(odd.completion == -1);
    CHECK(odd.cached == 2);
    auto none = usage_of(NX_OP_CHAT, R"({"choices":[],"usage":null})");
    CHECK(none.prompt == -1);
    CHECK(none.cached == -1);
}

TEST_CASE("2xx bodies that are not canonical are PROTOCOL errors", "[response][errors]") {
    auto e = parse_err(NX_OP_CHAT, 200, "<html>gateway</html>");
    CHECK(e.error_class() == NX_EC_PROTOCOL);
    CHECK(e.upstream_status() == 200);
    CHECK_THAT(e.what(), Catch::Contains("is not JSON"));

    e = parse_err(NX_OP_CHAT, 200, R"({"id":"x","object":"chat.completion"})");
    CHECK(e.error_class() == NX_EC_PROTOCOL);
    CHECK_THAT(e.what(), Catch::Contains("\"choices\""));

    CHECK(parse_err(NX_OP_CHAT, 200, R"({"choices":{}})").error_class() == NX_EC_PROTOCOL);
    CHECK(parse_err(NX_OP_CHAT, 200, "[]").error_class() == NX_EC_PROTOCOL);
    CHECK(parse_err(NX_OP_EMBEDDINGS, 200, R"({"object":"list"})").error_class() == NX_EC_PROTOCOL);
    CHECK(parse_err(NX_OP_LIST_MODELS, 200, R"({"object":"list","data":null})").error_class() == NX_EC_PROTOCOL);
    CHECK(parse_err(NX_OP_CHAT, 200, kChatCompletion.substr(0, 100)).error_class() == NX_EC_PROTOCOL);
}

TEST_CASE("a 2xx body carrying an error is classified by its type", "[response][errors]") {
    auto e = parse_err(NX_OP_CHAT, 200, openai_error("The server had an error while processing your request. Sorry about that!",
                                                      "server_error", "", ""));
    CHECK(e.error_class() == NX_EC_SERVER);
    CHECK(std::string(e.what()) == "The server had an error while processing your request. Sorry about that!");

    // OpenRouter-style numeric code
    e = parse_err(NX_OP_CHAT, 200, R"({"error":{"code":429,"message":"Rate limit exceeded"}})");
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    CHECK(e.upstream_status() == 429);

    e = parse_err(NX_OP_CHAT, 200, R"({"error":{"message":"weird"},"choices":[]})");
    CHECK(e.error_class() == NX_EC_PROTOCOL);  // no type, no code: nothing better to say
    CHECK(std::string(e.what()) == "weird");

    // "error": null is not an error
    const std::string with_null_error = R"({"choices":[],"error":null})";
    CHECK(parse_ok(NX_OP_CHAT, with_null_error) == with_null_error);
}

TEST_CASE("non-2xx statuses map to error classes", "[response][errors]") {
    struct Case {
        int status;
        std::string body;
        nx_error_class cls;
    };
    const std::vector<Case> cases = {
        {400, openai_error("Invalid value: 'foo'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
                           "invalid_request_error", "messages[0].role", "invalid_value"),
         NX_EC_INVALID_REQUEST},
        {400, openai_error("This model's maximum context length is 128000 tokens. However, your messages resulted in 130542 tokens. Please reduce the length of the messages.",
                           "invalid_request_error", "messages", "context_length_exceeded"),
         NX_EC_CONTEXT_LENGTH},
        {400, openai_error("This model's maximum context length is 8192 tokens, however you requested 10346 tokens (10346 in your prompt; 5 for the completion).",
                           "invalid_request_error", "", ""),
         NX_EC_CONTEXT_LENGTH},
        {401, openai_error("Incorrect API key provided: sk-test-********************0001. You can find your API key at https://platform.openai.com/account/api-keys.",
                           "invalid_request_error", "", "invalid_api_key"),
         NX_EC_AUTHENTICATION},
        {403, openai_error("Project `proj_abc` does not have access to model `o1`", "invalid_request_error", "", "model_not_found"),
         NX_EC_PERMISSION},
        {404, openai_error("The model `gpt-5-ultra` does not exist or you do not have access to it.", "invalid_request_error", "",
                           "model_not_found"),
         NX_EC_NOT_FOUND},
        {408, "", NX_EC_TIMEOUT},
        {409, openai_error("Conflict", "invalid_request_error", "", ""), NX_EC_SERVER},
        {413, "", NX_EC_INVALID_REQUEST},
        {422, R"({"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]})",
         NX_EC_INVALID_REQUEST},
        {429, openai_error("Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29809, Requested 1200. Please try again in 2.018s.",
                           "tokens", "", "rate_limit_exceeded"),
         NX_EC_RATE_LIMITED},
        {429, openai_error("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "",
                           "insufficient_quota"),
         NX_EC_QUOTA_EXHAUSTED},
        {500, openai_error("The server had an error while processing your request. Sorry about that!", "server_error", "", ""),
         NX_EC_SERVER},
        {502, "<html><head><title>502 Bad Gateway</title></head></html>", NX_EC_SERVER},
        {503, openai_error("The server is overloaded or not ready yet.", "server_error", "", ""), NX_EC_OVERLOADED},
        {529, "", NX_EC_OVERLOADED},
        {504, "", NX_EC_TIMEOUT},
        {418, "", NX_EC_INVALID_REQUEST},
        {501, "", NX_EC_SERVER},
        {302, "", NX_EC_PROTOCOL},
    };
    for (const auto& c : cases) {
        CAPTURE(c.status, c.body);
        UpstreamError e = parse_err(NX_OP_CHAT, c.status, c.body);
        CHECK(e.error_class() == c.cls);
        CHECK(e.upstream_status() == c.status);
        CHECK(e.retry_after_ms() == -1);
    }
}

TEST_CASE("the message is the upstream error.message, with keys masked", "[response][errors]") {
    auto e = parse_err(NX_OP_CHAT, 400,
                       openai_error("Invalid 'messages[1].content': string too long.", "invalid_request_error", "messages[1].content",
                                    "string_above_max_length"));
    CHECK(std::string(e.what()) == "Invalid 'messages[1].content': string too long.");

    e = parse_err(NX_OP_CHAT, 401,
                  openai_error("Incorrect API key provided: sk-proj-****************************************Ab1x. You can find your API key at https://platform.openai.com/account/api-keys.",
                               "invalid_request_error", "", "invalid_api_key"));
    CHECK(std::string(e.what()) ==
          "Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.");

    // a server that echoes the whole key
    e = parse_err(NX_OP_CHAT, 401, R"({"error":{"message":"key my-local-secret-key is not valid"}})", Headers{}, "my-local-secret-key");
    CHECK(std::string(e.what()) == "key *** is not valid");

    // a body that is not JSON: status plus a short, single-line excerpt
    e = parse_err(NX_OP_CHAT, 502, "<html>\r\n<body>Bad gateway</body>\r\n</html>");
    CHECK(std::string(e.what()) == "upstream returned HTTP 502: <html>  <body>Bad gateway</body>  </html>");
    e = parse_err(NX_OP_CHAT, 503, std::string(5000, 'x'));
    CHECK(std::string(e.what()).size() < 300);
    e = parse_err(NX_OP_CHAT, 500, "");
    CHECK(std::string(e.what()) == "upstream returned HTTP 500");

    // variants from OpenAI-compatible servers
    e = parse_err(NX_OP_CHAT, 404, R"({"error":"model 'llama9' not found"})");
    CHECK(std::string(e.what()) == "model 'llama9' not found");
    e = parse_err(NX_OP_CHAT, 429, R"({"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","code":"1300"})");
    CHECK(std::string(e.what()) == "Requests rate limit exceeded");
    CHECK(e.error_class() == NX_EC_RATE_LIMITED);
    e = parse_err(NX_OP_CHAT, 500, R"({"error":{"type":"server_error"}})");
    CHECK(std::string(e.what()) == "upstream error (server_error) with HTTP 500");
}

TEST_CASE("retry hints come from the headers of an error response", "[response][errors][retry]") {
    const std::string rate_limited = openai_error("Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3, Requested 1.",
                                                  "requests", "", "rate_limit_exceeded");
    SECTION("retry-after-ms first") {
        Headers h{{"retry-after-ms", "1500"}, {"retry-after", "9"}};
        CHECK(parse_err(NX_OP_CHAT, 429, rate_limited, h).retry_after_ms() == 1500);
    }
    SECTION("retry-after seconds") {
        Headers h{{"Retry-After", "20"}, {"x-ratelimit-reset-requests", "1s"}};
        CHECK(parse_err(NX_OP_CHAT, 429, rate_limited, h).retry_after_ms() == 20000);
    }
    SECTION("retry-after HTTP date") {
        Headers h{{"retry-after", "Thu, 26 Sep 2024 10:23:18 GMT"}};  // kNow is 10:22:48 that day
        CHECK(parse_err(NX_OP_CHAT, 429, rate_limited, h).retry_after_ms() == 30000);
        Headers past{{"retry-after", "Thu, 26 Sep 2024 10:00:00 GMT"}};
        CHECK(parse_err(NX_OP_CHAT, 503, "", past).retry_after_ms() == 0);
    }
    SECTION("x-ratelimit-reset-* on a 429, picked by the limit that was hit") {
        Headers h{{"x-ratelimit-limit-requests", "10000"},  {"x-ratelimit-remaining-requests", "0"},
                  {"x-ratelimit-reset-requests", "6m0s"},   {"x-ratelimit-limit-tokens", "30000000"},
                  {"x-ratelimit-remaining-tokens", "29999"}, {"x-ratelimit-reset-tokens", "20ms"}};
        CHECK(parse_err(NX_OP_CHAT, 429, rate_limited, h).retry_after_ms() == 360000);
        CHECK(parse_err(NX_OP_CHAT, 429, openai_error("TPM", "tokens", "", "rate_limit_exceeded"), h).retry_after_ms() == 20);
        CHECK(parse_err(NX_OP_CHAT, 429, R"({"error":{"message":"slow down"}})", h).retry_after_ms() == 360000);  // the longer
        // only a 429 reads the rate-limit reset headers
        CHECK(parse_err(NX_OP_CHAT, 500, "", h).retry_after_ms() == -1);
    }
    SECTION("garbage is no hint") {
        Headers h{{"retry-after", "soon"}, {"x-ratelimit-reset-requests", "later"}};
        CHECK(parse_err(NX_OP_CHAT, 429, rate_limited, h).retry_after_ms() == -1);
    }
}
