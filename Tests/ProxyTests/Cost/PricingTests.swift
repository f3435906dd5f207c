import Foundation
import Gateway
import Proxy
import Testing

/// The price table's matching, each token kind's price, and the limit windows' buckets.
@Suite
struct PricingTests {
    @Test("model ids match the longest known id they start with, after a provider qualifier or Bedrock region prefix")
    func matching() {
        let table = PriceTable()
        #expect(table.price(for: "gpt-4o-mini-2024-07-18", provider: "openai").price.input == Decimal(string: "0.15"))
        #expect(table.price(for: "gpt-4o", provider: "openai").price.input == Decimal(string: "2.50"))
        #expect(table.price(for: "openai/gpt-4o", provider: "openai").price.output == 10)
        #expect(table.price(for: "claude-sonnet-4-5-20250929", provider: "anthropic").price == ModelPrice(input: 3, output: 15, cacheRead: Decimal(string: "0.3")!, cacheWrite: Decimal(string: "3.75")!))
        #expect(table.price(for: "us.anthropic.claude-sonnet-4-20250514-v1:0", provider: "bedrock").source == .builtIn)
        #expect(table.price(for: "gemini-2.5-flash-lite", provider: "gemini").price.input == Decimal(string: "0.10"))
        // `gpt-4o` must not price `gpt-4oops`: a known id is followed by a separator or nothing.
        #expect(table.price(for: "gpt-4oops", provider: "openai").source == .fallback)
    }

    @Test("unknown models get GATEWAY.md's default: $50 per million, $30 for -mini/-nano/-haiku, cache by provider")
    func fallback() {
        let table = PriceTable()
        let big = table.price(for: "some-model", provider: "openai")
        #expect(big.source == .fallback && big.price.input == 50 && big.price.cacheRead == Decimal(string: "12.5"))
        #expect(table.price(for: "tiny-nano", provider: "anthropic").price == ModelPrice(input: 30, output: 30, cacheRead: 3, cacheWrite: Decimal(string: "37.5")!))
    }

    @Test("an override wins over the built-in price, for dated and qualified ids too")
    func override() {
        let custom = ModelPrice(input: 1, output: 2, cacheRead: Decimal(string: "0.5")!, cacheWrite: 1)
        let table = PriceTable(overrides: [ModelPriceOverride(model: "gpt-4o", price: custom, updatedAt: Date())])
        #expect(table.price(for: "gpt-4o-2024-08-06", provider: "openai").price == custom)
        #expect(table.price(for: "openai/gpt-4o", provider: "openai").source == .override)
        #expect(table.price(for: "gpt-4o-mini", provider: "openai").source == .builtIn)
    }

    @Test("cost: uncached input, cache reads, cache writes and output each at its price; savings net of writes")
    func cost() {
        // claude-sonnet-4-5: $3 input, $15 output, $0.30 read, $3.75 write.
        let price = ModelPrice(input: 3, output: 15, cacheRead: Decimal(string: "0.3")!, cacheWrite: Decimal(string: "3.75")!)
        let usage = TokenUsage(inputTokens: 3210, outputTokens: 5, cacheReadTokens: 3000, cacheWriteTokens: 200)
        let cost = RequestPricing.cost(of: usage, at: price)
        // 10×3 + 5×15 + 3000×0.3 + 200×3.75 = 30 + 75 + 900 + 750 = 1755 millionths.
        #expect(cost.total == Decimal(string: "0.001755"))
        #expect(cost.cache == Decimal(string: "0.00165"))
        // 3000×(3−0.3) − 200×(3.75−3) = 8100 − 150 = 7950 millionths.
        #expect(cost.savings == Decimal(string: "0.00795"))
    }

    @Test("the pricing step sets the record's cost, with the baseline model's extra cost as savings")
    func pricingStep() {
        let pricing = RequestPricing { PriceTable() }
        var record = RequestLogRecord(method: "POST", nativePath: "/chat/completions")
        record.providerID = "openai"
        record.model = "gpt-4o-mini"
        record.baselineModel = "gpt-4o"
        record.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0)
        pricing.price(&record)
        #expect(record.cost == RequestCost(total: Decimal(string: "0.15")!, cache: 0, savings: Decimal(string: "2.35")!))
        var empty = RequestLogRecord(method: "POST", nativePath: "/chat/completions")
        empty.model = "gpt-4o"
        pricing.price(&empty)
        #expect(empty.cost == nil)
    }

    @Test("nano-dollars round to the nearest and back exactly")
    func nano() {
        #expect(NanoUSD.from(Decimal(string: "0.0000015")!) == 1500)
        #expect(NanoUSD.from(Decimal(string: "0.0000000014")!) == 1)
        #expect(NanoUSD.from(-1) == 0)
        #expect(NanoUSD.usd(1500) == Decimal(string: "0.0000015"))
    }

    @Test("windows: rolling buckets are a sixtieth of the window and count while they overlap it; calendar windows are the UTC period")
    func windows() throws {
        let formatter = ISO8601DateFormatter()
        let now = try #require(formatter.date(from: "2026-12-09T10:30:20Z"))  // a Wednesday
        let hour = LimitWindow.rollingHour
        let bucket = hour.bucketStart(containing: now)
        #expect(bucket == Int64(try #require(formatter.date(from: "2026-12-09T10:30:00Z")).timeIntervalSince1970))
        #expect(hour.counts(bucket: bucket, at: now))
        #expect(hour.counts(bucket: bucket - 3_600, at: now))  // 09:30:00–09:31:00 overlaps the last hour
        #expect(!hour.counts(bucket: bucket - 3_660, at: now))
        #expect(LimitWindow.calendarDay.bucketStart(containing: now) == Int64(try #require(formatter.date(from: "2026-12-09T00:00:00Z")).timeIntervalSince1970))
        #expect(LimitWindow.calendarWeek.bucketStart(containing: now) == Int64(try #require(formatter.date(from: "2026-12-07T00:00:00Z")).timeIntervalSince1970))
        #expect(LimitWindow.calendarMonth.bucketStart(containing: now) == Int64(try #require(formatter.date(from: "2026-12-01T00:00:00Z")).timeIntervalSince1970))
        let lastMonth = try #require(formatter.date(from: "2026-11-30T23:59:59Z"))
        #expect(!LimitWindow.calendarMonth.counts(bucket: LimitWindow.calendarMonth.bucketStart(containing: lastMonth), at: now))
        #expect(LimitWindow.rollingMonth.counts(bucket: LimitWindow.rollingMonth.bucketStart(containing: lastMonth), at: now))
        #expect(LimitWindow(rawValue: "2h") == nil)
    }
}

/// What the limit check costs on the hot path: memory only, no database.
@Suite
struct LimitCheckCostTests {
    @Test("a check against 10 limits with spend in 60 rolling buckets each stays far below a millisecond")
    func checkCost() async throws {
        let store = try await SQLiteGatewayStore(url: .sqliteInMemory, secretBox: .ephemeral())
        let profile = try await store.defaultProfile()
        var limits: [SpendLimit] = []
        for index in 0..<10 {
            let entity: SpendLimit.Entity = index % 2 == 0 ? .organization : .profile(profile.id)
            limits.append(try await store.createSpendLimit(SpendLimitDraft(entity: entity, usd: 1_000, window: index % 3 == 0 ? .rollingHour : .calendarMonth)))
        }
        let ledger = CostLedger(store: store, logger: .init(label: "test"))
        await ledger.syncNow()
        let now = Date()
        for minute in 0..<60 {
            ledger.record(nanoUSD: 1_000, virtualKeyID: nil, profileID: profile.id, model: "gpt-4o", at: now.addingTimeInterval(Double(-minute * 60)))
        }
        await ledger.syncNow()
        let iterations = 5_000
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            for _ in 0..<iterations {
                _ = await ledger.breach(virtualKeyID: nil, profileID: profile.id, model: "gpt-4o", at: now)
            }
        }
        let perCheck = elapsed / iterations
        print("limit check: \(perCheck) per check (10 limits, 60 buckets each)")
        #expect(perCheck < .milliseconds(1))
        #expect(ledger.spent(on: limits[0], at: now) == Decimal(string: "0.00006"))
    }
}

extension PricingTests {
    @Test("calendar buckets by integer arithmetic agree with Foundation's UTC calendar over four years, every 13 hours")
    func calendarArithmetic() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = Date(timeIntervalSince1970: 1_735_000_000)  // December 2024
        let end = date.addingTimeInterval(4 * 365 * 86_400)
        while date < end {
            for (window, component) in [(LimitWindow.calendarDay, Calendar.Component.day), (.calendarWeek, .weekOfYear), (.calendarMonth, .month)] {
                let expected = Int64(calendar.dateInterval(of: component, for: date)!.start.timeIntervalSince1970)
                #expect(window.bucketStart(containing: date) == expected, "\(window) \(date)")
            }
            date.addTimeInterval(13 * 3_600)
        }
    }
}
