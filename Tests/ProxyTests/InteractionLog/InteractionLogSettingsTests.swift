import Proxy
import Testing

@Suite("interaction log settings")
struct InteractionLogSettingsTests {
    @Test("defaults: no bodies, 30 days, 64 KiB, 10 000 records")
    func defaults() throws {
        let settings = try ProxyConfiguration(environment: [:]).interactionLog
        #expect(settings.logsBodies == false)
        #expect(settings.retentionDays == 30)
        #expect(settings.bodyLimitBytes == 64 * 1024)
        #expect(settings.bufferCapacity == 10_000)
    }

    @Test("variables set bodies, retention (0 keeps forever), body limit and buffer")
    func variables() throws {
        let settings = try ProxyConfiguration(environment: [
            "ARCHESTRA_INTERACTION_LOG_BODIES": "true", "ARCHESTRA_INTERACTION_RETENTION_DAYS": "0",
            "ARCHESTRA_INTERACTION_BODY_LIMIT": "2048", "ARCHESTRA_INTERACTION_BUFFER": "50",
        ]).interactionLog
        #expect(settings.logsBodies)
        #expect(settings.retentionDays == nil)
        #expect(settings.bodyLimitBytes == 2048)
        #expect(settings.bufferCapacity == 50)
    }

    @Test("bad values fail the start, naming the variable", arguments: [
        ("ARCHESTRA_INTERACTION_LOG_BODIES", "maybe"), ("ARCHESTRA_INTERACTION_RETENTION_DAYS", "-1"),
        ("ARCHESTRA_INTERACTION_BODY_LIMIT", "10"), ("ARCHESTRA_INTERACTION_BUFFER", "0"),
    ])
    func badValues(variable: String, value: String) {
        do {
            _ = try ProxyConfiguration(environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.variable == variable)
        }
    }
}
