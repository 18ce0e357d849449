using System.Text.Json;
using System.Text.Json.Serialization;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;
using Scorecard.Data.Common;

namespace Scorecard.Data.Demo;

/// <summary>
/// The demo partnership's catalogue, read from the embedded <c>Demo/catalogue.json</c>: the partnership, its agencies
/// (the schools and colleges come from <c>education-agencies.txt</c>), priorities, demo sign-ins and measures, each
/// measure with the recipe the generator follows to invent its values.
/// </summary>
/// <param name="About">What the file is, for someone who opens it.</param>
internal sealed record DemoCatalogue(
    string About,
    DemoCatalogue.PartnershipEntry Partnership,
    IReadOnlyList<DemoAgency> Agencies,
    IReadOnlyList<DemoPriority> Priorities,
    IReadOnlyList<DemoUser> Users,
    IReadOnlyList<DemoCatalogue.MeasureEntry> Measures)
{
    /// <summary>The logical name of the embedded catalogue.</summary>
    public const string ResourceName = "Scorecard.Data.Demo.catalogue.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters =
        {
            new DbEnumJsonConverter<MeasureUnit>(), new DbEnumJsonConverter<Polarity>(),
            new DbEnumJsonConverter<DemoSizing>(), new DbEnumJsonConverter<DemoSignal>(), new DbEnumJsonConverter<SchoolReporters>(),
        },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public sealed record PartnershipEntry(string Code, string Name, string ShortName);

    /// <summary>An agency that reports a measure: its typical denominator per quarter (ratio measures) and its usual level.</summary>
    /// <param name="SizeIsSchoolCount">The denominator is the number of schools and colleges (Appendix 1).</param>
    public sealed record ReporterEntry(string Agency, double Level, double Size = 0, bool SizeIsSchoolCount = false);

    /// <summary>A commentary sentence one agency attached to one quarter's value (0 = 2020/21 Q1).</summary>
    public sealed record NoteEntry(string Agency, int QuarterIndex, string Text);

    public sealed record BoundsEntry(double Low, double High);

    /// <summary>Commentary an agency may give when its value falls below <see cref="Below"/> (about half the time).</summary>
    public sealed record LowValueNotesEntry(double Below, IReadOnlyList<string> Texts);

    /// <summary>A measure's definition plus the recipe for its demo values.</summary>
    /// <param name="CountsPeople">False for measures that count staff, settings or audits rather than children.</param>
    /// <param name="Reporters">Who reports it; empty when <paramref name="SchoolReporters"/> names a recipe for every school instead.</param>
    /// <param name="Noise">Standard deviation of the quarter-to-quarter variation, in the measure's units.</param>
    /// <param name="SignalSize">Shift: the step; trend: the rise per quarter; outlier: the one-off jump.</param>
    /// <param name="Bounds">Every agency value is kept within these bounds (the measure whose target is never met).</param>
    public sealed record MeasureEntry(
        string Code, string Title, string Definition, MeasureUnit Unit, Polarity Polarity, string Priority, string Owner,
        string BenchmarkNote, double Noise,
        string? Numerator = null, string? Denominator = null,
        decimal? Target = null, decimal? Amber = null, decimal? England = null, decimal? Neighbour = null,
        bool CountsPeople = true,
        IReadOnlyList<ReporterEntry>? Reporters = null, SchoolReporters? SchoolReporters = null,
        DemoSizing Sizing = DemoSizing.Flow, DemoSignal Signal = DemoSignal.CommonCause, double SignalSize = 0,
        BoundsEntry? Bounds = null, IReadOnlyList<NoteEntry>? Notes = null, LowValueNotesEntry? LowValueNotes = null);

    /// <summary>Reads the embedded catalogue; throws with the reason when it is missing or malformed.</summary>
    public static DemoCatalogue Load()
    {
        using var stream = typeof(DemoCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        var catalogue = JsonSerializer.Deserialize<DemoCatalogue>(stream, Options)
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
        foreach (var m in catalogue.Measures)
        {
            if ((m.Reporters is { Count: > 0 }) == (m.SchoolReporters is not null))
                throw new InvalidOperationException($"{ResourceName}: {m.Code} needs either reporters or schoolReporters.");
        }
        return catalogue;
    }
}

/// <summary>How a measure's demo values move over the quarters.</summary>
internal enum DemoSignal { CommonCause, Shift, Trend, Outlier, NeverMet }

/// <summary>How a ratio measure's denominator varies from quarter to quarter.</summary>
internal enum DemoSizing
{
    /// <summary>Activity in the quarter (referrals, assessments): about ±6%.</summary>
    Flow,

    /// <summary>A population estimate: fixed within a financial year, growing slowly.</summary>
    Population,

    /// <summary>Staff in post: about ±2%.</summary>
    Workforce,

    /// <summary>A fixed number, such as the schools and colleges of Appendix 1.</summary>
    Fixed,

    /// <summary>A school's designated safeguarding lead and deputies: a handful, sometimes one more.</summary>
    SchoolDsl,

    /// <summary>Possible sessions (half days) for a school's pupils on a plan: pupils × sessions in the quarter's term time.</summary>
    SchoolSessions,
}

/// <summary>Measures every school and college reports, each with its size and level worked out from its phase.</summary>
internal enum SchoolReporters
{
    /// <summary>Pupils on a child protection plan and their attendance.</summary>
    CpAttendance,

    /// <summary>Designated safeguarding leads and deputies, 93% trained.</summary>
    DslTraining,
}
