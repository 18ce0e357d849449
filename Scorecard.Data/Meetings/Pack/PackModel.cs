using System.Text.Json;
using Scorecard.Data.Analytics;
using Scorecard.Data.Performance;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// Everything a meeting pack shows, as it was when the pack was generated: stored with the pack (as JSON) so the same
/// document can be drawn again byte for byte. Holds no clock reading: the pack is dated by its meeting.
/// </summary>
public sealed record PackModel(
    string PartnershipName, string MeetingTitle, string MeetingKind, DateOnly MeetingDate, string Status, int Version,
    IReadOnlyList<PackAttendee> Attendance, IReadOnlyList<PackItem> Items, IReadOnlyList<PackRecord> Log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PackModel FromJson(string json) => JsonSerializer.Deserialize<PackModel>(json, Json)
        ?? throw new InvalidDataException("The stored pack model is empty.");
}

public sealed record PackAttendee(string AgencyName, bool Attended, string Representative);

/// <summary>One agenda item: its number, section, what it is and why, its facts, and its chart, table or heat map.</summary>
public sealed record PackItem(
    int Number, string Section, string Title, string Reason, IReadOnlyList<AgendaFact> Facts,
    PackChart? Chart, PackTable? Table, PackHeatMap? HeatMap, IReadOnlyList<PackRecord> Records);

/// <summary>A decision, challenge or action as minuted.</summary>
public sealed record PackRecord(int ItemNumber, string ItemTitle, string Kind, string Text, string Owner, string Due);

/// <summary>A table: header cells and rows of text.</summary>
public sealed record PackTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// A 5×5 risk heat map: <see cref="Counts"/>[likelihood − 1][impact − 1] is how many risks sit in that cell.
/// </summary>
public sealed record PackHeatMap(string Caption, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    public static PackHeatMap Empty(string caption) => new(caption, Enumerable.Range(0, 5).Select(_ => (IReadOnlyList<int>)new int[5]).ToList());

    /// <summary>A cell's colour by score (likelihood × impact): green below 5, amber below 12, red at 12 or above (escalation).</summary>
    public static string Colour(int likelihood, int impact) => (likelihood * impact) switch
    {
        >= 12 => "#C62828",
        >= 5 => "#F9A825",
        _ => "#2E7D32",
    };
}

/// <summary>
/// An XmR chart as drawn in the pack: one value per quarter (null where none may be shown), each point's colour by its
/// point type, the mean and process limits per quarter (null where not drawn), and the target.
/// </summary>
public sealed record PackChart(
    string Title, string YAxis, IReadOnlyList<string> Labels, IReadOnlyList<double?> Values, IReadOnlyList<string> Colours,
    IReadOnlyList<double?> Mean, IReadOnlyList<double?> Upper, IReadOnlyList<double?> Lower, double? Target, string Summary)
{
    /// <summary>
    /// The chart of a scorecard line as the pack's readers may see it (the line comes from an export view, so every
    /// small number is hidden): hidden quarters are not drawn, and no mean or limits when they would give one away.
    /// </summary>
    public static PackChart FromLine(ScorecardLine line)
    {
        var m = line.Measure;
        var spc = new Dictionary<int, SpcPointDetail>();
        if (line.Spc is { } analysis)
        {
            var k = 0;
            foreach (var f in line.History.Where(f => f.PointType is not null))
                spc[f.Period.Id] = analysis.Points[k++];
        }
        var drawLines = line.SpcLinesWithheld.Length == 0;
        var values = line.History.Select(f => f.Suppressed || f.Value is null ? (double?)null : (double)f.Value.Value).ToList();
        var colours = line.History.Select(f => f.Provisional ? "#616161" : SpcIcons.Colour(f.PointType ?? PointType.CommonCause)).ToList();
        double? Pick(QuarterFigure f, Func<SpcPointDetail, double?> pick) => drawLines && spc.TryGetValue(f.Period.Id, out var p) ? pick(p) : null;
        var statements = string.Join(" ", line.Statements.Select(s => s.Text + "."));
        var summary = $"XmR chart of {m.Title} over {line.History.Count} quarters. Latest, {line.Current.Period.Label}: {FigureFormat.Figure(line.Current, m)}. {statements}"
            + (drawLines ? "" : " " + line.SpcLinesWithheld);
        return new PackChart(
            $"{m.Code} {m.Title}", SpcWords.AxisLabel(m.Unit),
            line.History.Select(f => f.Period.Label).ToList(), values, colours,
            line.History.Select(f => Pick(f, p => p.Mean)).ToList(),
            line.History.Select(f => Pick(f, p => p.UpperLimit)).ToList(),
            line.History.Select(f => Pick(f, p => p.LowerLimit)).ToList(),
            m.Target is { } t && m.Polarity != Polarity.Neutral ? (double)t : null,
            summary.Trim());
    }
}
