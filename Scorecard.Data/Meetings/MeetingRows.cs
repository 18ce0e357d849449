using System.Text.Json;
using Scorecard.Data.Common;

namespace Scorecard.Data.Meetings;

/// <summary>A meeting as the list shows it.</summary>
public sealed record MeetingSummary(
    int Id, MeetingKind Kind, string Title, DateOnly MeetingDate, MeetingStatus Status,
    int Items, int Records, int Invited, int Attended, int Packs);

/// <summary>An agency invited to a meeting and whether it was represented.</summary>
public sealed record AttendeeRow(int AgencyId, string AgencyName, bool Attended, string Representative);

/// <summary>A stored agenda item, in the meeting's order.</summary>
public sealed record AgendaItemRow(
    int Id, int Position, AgendaItemKind? Kind, string? SourceKey, string Title, string Reason, string Link, int Urgency,
    IReadOnlyList<AgendaFact> Facts, bool Dropped)
{
    public bool AddedByChair => SourceKey is null;
}

/// <summary>A decision, new challenge or new action recorded against an agenda item; a new challenge or action links the
/// challenge or action it raised (none for records minuted before the link existed).</summary>
public sealed record MeetingRecordRow(
    int Id, int AgendaItemId, MeetingRecordKind Kind, string Text, int? OwnerAgencyId, string? OwnerAgencyName, DateOnly? DueDate,
    string RecordedByName, DateTime RecordedAt, int? ChallengeId = null, int? ActionId = null)
{
    /// <summary>"New challenge (challenge 23)": the kind, and the challenge or action it raised.</summary>
    public string KindLabel => ChallengeId is { } c ? $"{Kind.Label()} (challenge {c})" : ActionId is { } a ? $"{Kind.Label()} (action {a})" : Kind.Label();

    /// <summary>The page of the challenge or action it raised, if any.</summary>
    public string? Href => ChallengeId is { } c ? $"/improvement/challenges/{c}" : ActionId is { } a ? $"/improvement/actions/{a}" : null;
}

/// <summary>One stored generation of a meeting's pack.</summary>
public sealed record PackVersion(int Version, DateTime CreatedAt, string CreatedByName, string Sha256, int Bytes);

/// <summary>Everything the meeting page shows.</summary>
public sealed record MeetingDetail(
    int Id, MeetingKind Kind, string Title, DateOnly MeetingDate, MeetingStatus Status, DateTime? AgendaBuiltAt,
    IReadOnlyList<AttendeeRow> Attendance, IReadOnlyList<AgendaItemRow> Items, IReadOnlyList<MeetingRecordRow> Records,
    IReadOnlyList<PackVersion> Packs)
{
    /// <summary>The items the meeting takes, in order (not dropped).</summary>
    public IReadOnlyList<AgendaItemRow> Agenda => Items.Where(i => !i.Dropped).ToList();

    public IReadOnlyList<MeetingRecordRow> RecordsFor(int itemId) => Records.Where(r => r.AgendaItemId == itemId).ToList();
}

/// <summary>The attendance page's figures: each agency's rate over the year, and the meetings counted.</summary>
public sealed record AttendanceYear(DateOnly From, DateOnly To, int Meetings, IReadOnlyList<AgencyAttendance> Agencies);

internal static class AgendaFacts
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(IReadOnlyList<AgendaFact> facts) => JsonSerializer.Serialize(facts, Json);

    public static IReadOnlyList<AgendaFact> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<AgendaFact>>(json, Json) ?? [];

    public static AgendaItemKind? Kind(string? stored) => stored is null ? null : DbEnum.Parse<AgendaItemKind>(stored);
}
