import Foundation
import SparkInfer
import SparkModel
import Testing

/// Where the header is, by what it looks like; each case is a way a file could fool a reader.
@Suite struct HeaderRuleTests {
    func refusal(_ text: String) -> InferError? {
        do {
            _ = try infer(text)
            return nil
        } catch let e as InferError {
            return e
        } catch {
            return nil
        }
    }

    @Test func aPaddedPreambleIsNotTheHeader() throws {
        let p = try infer("Report,,,\nDate range: March,,,\nCampaign,Day,Clicks,Spend\nA,2024-03-01,10,1.50\nB,2024-03-02,20,2.25\n")
        #expect(p.dialect.headerLine == 3)
        #expect(p.columns.map(\.name) == ["CAMPAIGN", "DAY", "CLICKS", "SPEND"])
        #expect(p.rows == 2)
    }

    @Test func theFirstPlausibleHeaderHoldsWhateverWidthLaterRowsHave() {
        let e = refusal("Campaign,Spend\nA,10\nB,20\nC,30\nD,40,x\nE,50,x\nF,60,x\nG,70,x\nH,80,x\n")
        #expect(e?.line == 5 && e?.kind == .tooManyFields, "\(String(describing: e))")
    }

    @Test func aDamagedHeaderIsAnErrorNotPreamble() {
        #expect(refusal("Campaign,Day,Clicks,Spend,Extra\nA,2024-03-01,10,1.50\nB,2024-03-02,20,2.25\n")?.kind == .damagedHeader)
        let missing = refusal("Report\n\nCampaign,Day,Clicks\nA,2024-03-01,10,1.50\nB,2024-03-02,20,2.25\n")
        #expect(missing?.kind == .damagedHeader && missing?.line == 3)
    }

    @Test func groupLabelsOverNamesJoin() throws {
        let p = try infer(",,Conversions,,Clicks,\nCampaign,Day,All conv.,Conv. value,Total,Invalid\nA,2024-03-01,1.5,10.25,7,0\nB,2024-03-02,2.5,11.50,9,1\nC,2024-03-03,3.5,12.75,8,2\n")
        #expect(p.dialect.headerRows == 2)
        #expect(p.columns.map(\.source) == ["Campaign", "Day", "Conversions / All conv.", "Conversions / Conv. value", "Clicks / Total", "Clicks / Invalid"])
        #expect(p.rows == 3)
    }

    @Test func aTextDataRowUnderTheHeaderIsData() throws {
        // The first row has no numbers where the data has them, but the header has no empty
        // group cells: it is data, not a second header row.
        let p = try infer("Campaign,Note,Clicks\nA,n.a.,unknown\nB,x,10\nC,y,20\nD,z,30\n")
        #expect(p.dialect.headerRows == nil)
        #expect(p.rows == 4)
    }

    @Test func numbersWhereTheHeaderShouldBeAreRefused() {
        let e = refusal("1,2,3\n4,5,6\n")
        #expect(e?.kind == .damagedHeader && e?.line == 1)
        // A mostly empty line and a line of numbers: neither is clearly the header.
        let both = refusal("Campaign,Spend,,\nA,10,x,y\nB,20,z,w\n")
        #expect(both?.kind == .damagedHeader && both?.line == 2)
    }

    @Test func aHeaderWithYearsIsAHeader() throws {
        let p = try infer("Campaign,2023,2024\nA,1,2\nB,3,4\n")
        #expect(p.columns.map(\.name) == ["CAMPAIGN", "COL_2023", "COL_2024"])
    }

    @Test func excelsSeparatorLineIsPreamble() throws {
        let p = try infer("sep=;\nA;B\n1;2\n")
        #expect(p.dialect.delimiter == UInt8(ascii: ";") && p.dialect.headerLine == 2 && p.rows == 1)
    }

    @Test func theUserCanSayWhereTheHeaderIs() throws {
        let path = try temporaryFile(Array("Campaign,Spend,,\nA,10,x,y\nB,20,z,w\n".utf8))
        let p = try Inferrer.profile(path: path, options: InferOptions(headerLine: 1))
        #expect(p.dialect.headerLine == 1 && p.rows == 2)
        #expect(p.columns.map(\.name) == ["CAMPAIGN", "SPEND", "COL_3", "COL_4"])
    }
}
