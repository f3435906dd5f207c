import Foundation
import Gateway

/// `POST /api/limits`.
struct CreateLimitRequest: Decodable {
    var entityType: String
    var entityID: String?
    var usd: String
    var window: String?
    var models: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case entityType = "entity_type"
        case entityID = "entity_id"
        case usd, window, models
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.entityType = try container.decode(String.self, forKey: .entityType)
        self.entityID = try container.decodeIfPresent(String.self, forKey: .entityID)
        self.usd = try CostInputRules.amountText(container, forKey: .usd)
        self.window = try container.decodeIfPresent(String.self, forKey: .window)
        self.models = try container.decodeIfPresent([String].self, forKey: .models)
    }
}

/// `PUT /api/model-prices/{model}`: USD per million tokens; cache prices default to the input price.
struct SetModelPriceRequest: Decodable {
    var input: String
    var output: String
    var cacheRead: String?
    var cacheWrite: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, output
        case cacheRead = "cache_read"
        case cacheWrite = "cache_write"
    }

    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeys(besides: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.input = try CostInputRules.amountText(container, forKey: .input)
        self.output = try CostInputRules.amountText(container, forKey: .output)
        self.cacheRead = try container.contains(.cacheRead) ? CostInputRules.amountText(container, forKey: .cacheRead) : nil
        self.cacheWrite = try container.contains(.cacheWrite) ? CostInputRules.amountText(container, forKey: .cacheWrite) : nil
    }
}

/// Dollar amounts: decimal text (`"0.005"`) or a JSON number, never negative, at most a billion.
/// Text is the exact form; a JSON number is read as the decimal it spells.
enum CostInputRules {
    static let maximumUSD = Decimal(1_000_000_000)
    static let maximumModels = 64
    static let maximumModelLength = 200

    static func amountText<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> String {
        if let text = try? container.decode(String.self, forKey: key) { return text }
        if let number = try? container.decode(Decimal.self, forKey: key) { return number.description }
        throw AdminAPIError.invalidField(key.stringValue, "must be a decimal amount of US dollars, such as \"0.50\"")
    }

    /// `text` as dollars: digits with an optional fraction, no sign, no exponent.
    static func usd(_ text: String, field: String) throws(AdminAPIError) -> Decimal {
        let problem = "must be a decimal amount of US dollars of at least 0, such as \"0.50\" (got \"\(text.prefix(40))\")"
        if text.hasPrefix("-"), Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) != nil {
            throw AdminAPIError.invalidField(field, "must not be negative (got \(text.prefix(40)))")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            parts.count == 1 || !parts[1].isEmpty,
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else { throw AdminAPIError.invalidField(field, problem) }
        guard value <= maximumUSD else { throw AdminAPIError.invalidField(field, "must be at most \(maximumUSD) US dollars") }
        return value
    }

    static func window(_ text: String?) throws(AdminAPIError) -> LimitWindow {
        guard let text else { return .calendarMonth }
        guard let window = LimitWindow(rawValue: text) else {
            throw AdminAPIError.invalidField("window", "must be one of \(LimitWindow.names)")
        }
        return window
    }

    static func models(_ models: [String]?) throws(AdminAPIError) -> [String] {
        let models = models ?? []
        guard models.count <= maximumModels else { throw AdminAPIError.invalidField("models", "may name at most \(maximumModels) models") }
        for model in models where model.isEmpty || model.unicodeScalars.count > maximumModelLength {
            throw AdminAPIError.invalidField("models", "must be model ids of 1 to \(maximumModelLength) characters")
        }
        return models
    }

    static func model(_ model: String) throws(AdminAPIError) -> String {
        guard !model.isEmpty, model.unicodeScalars.count <= maximumModelLength, !model.contains("/") else {
            throw AdminAPIError.invalidField("model", "must be a model id of 1 to \(maximumModelLength) characters, without a provider qualifier")
        }
        return model
    }
}
