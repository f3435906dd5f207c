import AdminAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Optimisation rules over the admin API")
struct OptimisationRuleRoutesTests {
    @Test("create, list in the order they are tried, get, disable and enable, delete")
    func lifecycle() async throws {
        try await AdminTestHarness.make().run { client in
            let created = try await client.admin(
                .post, "/api/optimisation-rules", json: #"{"provider":"openai","target_model":"gpt-5-mini","conditions":{"max_prompt_tokens":1000,"has_tools":false}}"#)
            #expect(created.status == .created)
            let rule = try created.object()
            let id = try #require(rule["id"] as? String)
            #expect(Set(rule.keys) == ["id", "provider", "target_model", "conditions", "enabled", "created_at"])
            #expect(rule["enabled"] as? Bool == true)
            let conditions = try #require(rule["conditions"] as? [String: Any])
            #expect(conditions["max_prompt_tokens"] as? Int == 1000 && conditions["has_tools"] as? Bool == false)

            let second = try await client.admin(
                .post, "/api/optimisation-rules", json: #"{"provider":"anthropic","target_model":"claude-haiku-4-5","conditions":{"has_tools":true},"enabled":false}"#)
            #expect(second.status == .created)
            let secondRule = try second.object()
            #expect(secondRule["enabled"] as? Bool == false)
            // Absent conditions are absent, not null.
            #expect(Set(try #require(secondRule["conditions"] as? [String: Any]).keys) == ["has_tools"])

            let list = try await client.admin(.get, "/api/optimisation-rules").array()
            let secondID = try #require(secondRule["id"] as? String)
            #expect(Array(list.compactMap { $0["id"] as? String }.suffix(2)) == [id, secondID])

            #expect(try await client.admin(.get, "/api/optimisation-rules/\(id)").object()["target_model"] as? String == "gpt-5-mini")
            let disabled = try await client.admin(.patch, "/api/optimisation-rules/\(id)", json: #"{"enabled":false}"#)
            let disabledRule = try disabled.object()
            #expect(disabled.status == .ok && disabledRule["enabled"] as? Bool == false)
            let enabled = try await client.admin(.patch, "/api/optimisation-rules/\(id)", json: #"{"enabled":true}"#)
            #expect((try enabled.object()["enabled"] as? Bool) == true)

            #expect(try await client.admin(.delete, "/api/optimisation-rules/\(id)").status == .noContent)
            #expect(try await client.admin(.delete, "/api/optimisation-rules/\(id)").status == .notFound)
            #expect(try await client.admin(.get, "/api/optimisation-rules/\(id)").status == .notFound)
            #expect(try await client.admin(.patch, "/api/optimisation-rules/\(id)", json: #"{"enabled":true}"#).status == .notFound)
            #expect(try await client.admin(.get, "/api/optimisation-rules/not-a-uuid").status == .notFound)
        }
    }

    @Test("each class of bad input is a 400 that says what is wrong, and nothing is stored")
    func refusals() async throws {
        try await AdminTestHarness.make().run { client in
            let before = try await client.admin(.get, "/api/optimisation-rules").array().count
            let cases: [(String, String)] = [
                (#"{"provider":"openai","target_model":"gpt-5-mini","conditions":{}}"#, "at least one condition"),
                (#"{"provider":"openai","target_model":"gpt-5-mini"}"#, "conditions"),
                (#"{"provider":"openai","target_model":"gpt-5-mini","conditions":{"max_length":10}}"#, "max_length"),
                (#"{"provider":"openai","target_model":"gpt-5-mini","conditions":{"max_prompt_tokens":0}}"#, "max_prompt_tokens"),
                (#"{"provider":"openai","target_model":"gpt-5-mini","conditions":{"max_prompt_tokens":1.5}}"#, "max_prompt_tokens"),
                (#"{"provider":"openai","target_model":"gpt-5-mini","conditions":{"has_tools":"yes"}}"#, "has_tools"),
                (#"{"provider":"openai","target_model":"","conditions":{"has_tools":true}}"#, "target model"),
                (#"{"provider":"openai","target_model":"gpt 5","conditions":{"has_tools":true}}"#, "target model"),
                (#"{"provider":"nope","target_model":"m","conditions":{"has_tools":true}}"#, "provider"),
                (#"{"provider":"openai","target_model":"m","conditions":{"has_tools":true},"priority":1}"#, "priority"),
                (#"{"provider":"openai","target_model":"m","conditions":{"has_tools":true},"enabled":null}"#, "enabled"),
            ]
            for (body, mentioned) in cases {
                let response = try await client.admin(.post, "/api/optimisation-rules", json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorMessage()?.contains(mentioned) == true, "\(body): \(response.text)")
            }
            let rule = try await client.admin(.post, "/api/optimisation-rules", json: #"{"provider":"openai","target_model":"m","conditions":{"has_tools":true}}"#)
            let id = try #require(try rule.object()["id"] as? String)
            for body in [#"{}"#, #"{"enabled":"no"}"#, #"{"enabled":true,"target_model":"x"}"#] {
                #expect(try await client.admin(.patch, "/api/optimisation-rules/\(id)", json: body).status == .badRequest, "\(body)")
            }
            #expect(try await client.admin(.get, "/api/optimisation-rules").array().count == before + 1)
        }
    }
}
