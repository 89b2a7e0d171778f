import SparkModel
import SparkPlan
import Testing

@Suite struct StandardNameTests {
    @Test(arguments: [
        ("byd_meta_2024_wave1.csv", StandardName(client: "byd", platform: "meta", year: 2024, wave: 1, table: .campaign)),
        ("data/in/BYD_Meta_2024_Wave12.CSV", StandardName(client: "byd", platform: "meta", year: 2024, wave: 12, table: .campaign)),
        ("acme_google_ads_2024_wave3.csv", StandardName(client: "acme", platform: "google_ads", year: 2024, wave: 3, table: .campaign)),
        ("big_client_co_tiktok_2025_wave2_3.csv", StandardName(client: "big_client_co", platform: "tiktok", year: 2025, wave: 2, table: .campaign)),
        ("byd_meta_2024_wave1_naming_keys.csv", StandardName(client: "byd", platform: "meta", year: 2024, wave: 1, table: .namingKeys)),
        ("byd_meta_2024_naming_keys.csv", StandardName(client: "byd", platform: "meta", year: 2024, wave: nil, table: .namingKeys)),
        ("byd_taboola_2024_wave1.csv", StandardName(client: "byd", platform: "taboola", year: 2024, wave: 1, table: .campaign)),
    ])
    func namesThatFollowTheNomenclature(_ file: String, _ expected: StandardName) {
        #expect(StandardName.parse(file, platforms: ["taboola"]) == expected)
    }

    @Test(arguments: [
        "export.csv", "byd_meta_2024.csv", "byd_meta_24_wave1.csv", "byd_meta_2024_wave.csv", "byd_meta_2024_wave1.tsv",
        "meta_2024_wave1.csv", "byd_unknownplatform_2024_wave1.csv", "byd_meta_2024_wave+1.csv", "byd_meta_2024_wave1_x.csv",
    ])
    func namesThatDoNot(_ file: String) {
        #expect(StandardName.parse(file) == nil, "\(file)")
    }
}
