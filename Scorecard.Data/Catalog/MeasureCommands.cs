using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Analytics;
using Scorecard.Data.Common;

namespace Scorecard.Data.Catalog;

/// <summary>Creates and edits measures, every field of the catalogue with the agencies that report them. Admin only; logged.</summary>
public sealed partial class MeasureCommands(NpgsqlDataSource dataSource)
{
    public Task<Result<int>> CreateAsync(Actor actor, MeasureInput input, CancellationToken ct = default) =>
        SaveAsync(actor, null, input, ct);

    public Task<Result<int>> UpdateAsync(Actor actor, int measureId, MeasureInput input, CancellationToken ct = default) =>
        SaveAsync(actor, measureId, input, ct);

    private Task<Result<int>> SaveAsync(Actor actor, int? measureId, MeasureInput raw, CancellationToken ct)
    {
        actor.RequireAdmin();
        var input = Clean(raw);
        var v = Validate(input);
        if (!v.IsValid)
            return Task.FromResult(Result<int>.Fail(v.Errors));

        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var refs = await CheckReferencesAsync(conn, tx, actor, input, ct);
            if (!refs.IsValid)
                return Result<int>.Fail(refs.Errors);

            MeasureSnapshot? before = null;
            if (measureId is { } id)
            {
                before = await LoadSnapshotAsync(conn, tx, actor, id, ct);
                if (before is null)
                    return Result<int>.Fail("", "That measure does not exist.");
            }
            var args = new
            {
                actor.PartnershipId, Id = measureId, input.Code, input.Title, input.Definition, Unit = input.Unit.ToDb(), input.NumeratorLabel,
                input.DenominatorLabel, Polarity = input.Polarity.ToDb(), input.PriorityId, input.OwnerAgencyId, input.Target, input.AmberTolerance,
                DecimalPlaces = (short)input.DecimalPlaces, input.EnglandValue, input.NeighbourValue, input.BenchmarkNote, input.SortOrder, input.Active,
                input.SuppressSmallNumbers,
            };
            int savedId;
            if (measureId is null)
            {
                savedId = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                    insert into measure (partnership_id, code, title, definition, unit, numerator_label, denominator_label, polarity,
                        priority_id, owner_agency_id, target, amber_tolerance, decimal_places, england_value, neighbour_value,
                        benchmark_note, sort_order, active, suppress_small_numbers)
                    values (@PartnershipId, @Code, @Title, @Definition, @Unit, @NumeratorLabel, @DenominatorLabel, @Polarity,
                        @PriorityId, @OwnerAgencyId, @Target, @AmberTolerance, @DecimalPlaces, @EnglandValue, @NeighbourValue,
                        @BenchmarkNote, @SortOrder, @Active, @SuppressSmallNumbers)
                    returning id
                    """, args, tx, cancellationToken: ct));
            }
            else
            {
                savedId = measureId.Value;
                await conn.ExecuteAsync(new CommandDefinition("""
                    update measure set code = @Code, title = @Title, definition = @Definition, unit = @Unit,
                        numerator_label = @NumeratorLabel, denominator_label = @DenominatorLabel, polarity = @Polarity,
                        priority_id = @PriorityId, owner_agency_id = @OwnerAgencyId, target = @Target, amber_tolerance = @AmberTolerance,
                        decimal_places = @DecimalPlaces, england_value = @EnglandValue, neighbour_value = @NeighbourValue,
                        benchmark_note = @BenchmarkNote, sort_order = @SortOrder, active = @Active,
                        suppress_small_numbers = @SuppressSmallNumbers
                    where partnership_id = @PartnershipId and id = @Id
                    """, args, tx, cancellationToken: ct));
                await conn.ExecuteAsync(new CommandDefinition(
                    "delete from measure_reporter where partnership_id = @PartnershipId and measure_id = @Id and not (agency_id = any(@Reporters))",
                    new { actor.PartnershipId, Id = savedId, Reporters = input.ReporterIds.ToArray() }, tx, cancellationToken: ct));
            }
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into measure_reporter (partnership_id, measure_id, agency_id)
                select @PartnershipId, @Id, unnest(@Reporters) on conflict do nothing
                """, new { actor.PartnershipId, Id = savedId, Reporters = input.ReporterIds.ToArray() }, tx, cancellationToken: ct));

            var after = await LoadSnapshotAsync(conn, tx, actor, savedId, ct);
            if (before is null || !before.SameAs(after!))
            {
                await ChangeLog.WriteAsync(conn, tx, actor, "measure", savedId, before is null ? "create" : "update",
                    $"{(before is null ? "Created" : "Updated")} measure {input.Code} {input.Title}{Describe(before, after!)}", before, after, ct);
            }
            return Result<int>.Ok(savedId);
        }, e => new FieldError(nameof(MeasureInput.Code), "Another measure already has this code."), ct);
    }

    /// <summary>The stored row as the change log records it (unit and polarity as their stored text).</summary>
    private sealed record MeasureSnapshot(
        string Code, string Title, string Definition, string Unit, string? NumeratorLabel, string? DenominatorLabel,
        string Polarity, int PriorityId, int OwnerAgencyId, decimal? Target, decimal? AmberTolerance, short DecimalPlaces,
        decimal? EnglandValue, decimal? NeighbourValue, string BenchmarkNote, int SortOrder, bool Active, bool SuppressSmallNumbers)
    {
        public int[] ReporterIds { get; init; } = [];

        private static readonly int[] NoReporters = [];

        /// <summary>Field-by-field equality (a record's own equality would compare the reporter arrays by reference).</summary>
        public bool SameAs(MeasureSnapshot other) =>
            this with { ReporterIds = NoReporters } == other with { ReporterIds = NoReporters } && ReporterIds.SequenceEqual(other.ReporterIds);
    }

    private static async Task<MeasureSnapshot?> LoadSnapshotAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int id, CancellationToken ct)
    {
        var snapshot = await conn.QuerySingleOrDefaultAsync<MeasureSnapshot>(new CommandDefinition("""
            select code, title, definition, unit, numerator_label, denominator_label, polarity, priority_id, owner_agency_id,
                   target, amber_tolerance, decimal_places, england_value, neighbour_value, benchmark_note, sort_order, active,
                   suppress_small_numbers
            from measure where partnership_id = @PartnershipId and id = @Id for update
            """, new { actor.PartnershipId, Id = id }, tx, cancellationToken: ct));
        if (snapshot is null)
            return null;
        var reporters = await conn.QueryAsync<int>(new CommandDefinition(
            "select agency_id from measure_reporter where partnership_id = @PartnershipId and measure_id = @Id order by agency_id",
            new { actor.PartnershipId, Id = id }, tx, cancellationToken: ct));
        return snapshot with { ReporterIds = reporters.ToArray() };
    }

    /// <summary>A short "target 85 → 90" style note of what changed, for the log's summary line.</summary>
    private static string Describe(MeasureSnapshot? before, MeasureSnapshot after)
    {
        if (before is null)
            return "";
        var changes = new List<string>();
        void Note<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
                changes.Add($"{name} {a?.ToString() ?? "none"} → {b?.ToString() ?? "none"}");
        }
        Note("title", before.Title, after.Title);
        Note("target", before.Target, after.Target);
        Note("amber tolerance", before.AmberTolerance, after.AmberTolerance);
        Note("polarity", before.Polarity, after.Polarity);
        Note("unit", before.Unit, after.Unit);
        Note("England", before.EnglandValue, after.EnglandValue);
        Note("neighbours", before.NeighbourValue, after.NeighbourValue);
        Note("active", before.Active, after.Active);
        Note("small numbers hidden", before.SuppressSmallNumbers, after.SuppressSmallNumbers);
        if (!before.ReporterIds.SequenceEqual(after.ReporterIds))
            changes.Add($"reporters {before.ReporterIds.Length} → {after.ReporterIds.Length}");
        return changes.Count == 0 ? "" : ": " + string.Join("; ", changes);
    }

    private static MeasureInput Clean(MeasureInput m) => m with
    {
        Code = (m.Code ?? "").Trim().ToUpperInvariant(),
        Title = (m.Title ?? "").Trim(),
        Definition = (m.Definition ?? "").Trim(),
        NumeratorLabel = string.IsNullOrWhiteSpace(m.NumeratorLabel) ? null : m.NumeratorLabel.Trim(),
        DenominatorLabel = string.IsNullOrWhiteSpace(m.DenominatorLabel) ? null : m.DenominatorLabel.Trim(),
        BenchmarkNote = (m.BenchmarkNote ?? "").Trim(),
        ReporterIds = (m.ReporterIds ?? []).Distinct().Order().ToList(),
    };

    [GeneratedRegex("^[A-Z][A-Z0-9_-]{1,19}$")]
    private static partial Regex CodePattern();

    /// <summary>Every rule of the catalogue, with a message an admin can act on.</summary>
    internal static Validator Validate(MeasureInput m)
    {
        var v = new Validator();
        v.Required(nameof(MeasureInput.Code), m.Code, "Code", 20, 2);
        v.When(!string.IsNullOrWhiteSpace(m.Code) && !CodePattern().IsMatch(m.Code),
            nameof(MeasureInput.Code), "Code starts with a letter and has 2 to 20 capital letters, digits, '-' or '_', like CSC-01.");
        v.Required(nameof(MeasureInput.Title), m.Title, "Title", 200, 3);
        v.Required(nameof(MeasureInput.Definition), m.Definition, "Definition", 4000, 3);
        v.When(!Units.All.Contains(m.Unit), nameof(MeasureInput.Unit), "Choose a unit.");
        v.When(!Polarities.All.Contains(m.Polarity), nameof(MeasureInput.Polarity), "Choose whether higher or lower is better, or neutral.");
        v.When(m.PriorityId is null, nameof(MeasureInput.PriorityId), "Choose the priority this measure belongs to.");
        v.When(m.OwnerAgencyId is null, nameof(MeasureInput.OwnerAgencyId), "Choose the agency that owns this measure.");

        var isRatio = m.NumeratorLabel is not null || m.DenominatorLabel is not null;
        if (isRatio)
        {
            v.When(m.NumeratorLabel is null, nameof(MeasureInput.NumeratorLabel), "A ratio measure needs both a numerator and a denominator label.");
            v.When(m.DenominatorLabel is null, nameof(MeasureInput.DenominatorLabel), "A ratio measure needs both a numerator and a denominator label.");
            v.When(m.Unit == MeasureUnit.Count, nameof(MeasureInput.Unit), "A count is not a ratio: clear the numerator and denominator labels, or choose %, rate or score.");
        }
        v.When(m.NumeratorLabel?.Length > 200, nameof(MeasureInput.NumeratorLabel), "Numerator label must be at most 200 characters.");
        v.When(m.DenominatorLabel?.Length > 200, nameof(MeasureInput.DenominatorLabel), "Denominator label must be at most 200 characters.");

        if (m.Unit == MeasureUnit.Percent)
        {
            foreach (var (field, value, label) in new[]
                     {
                         (nameof(MeasureInput.Target), m.Target, "Target"),
                         (nameof(MeasureInput.EnglandValue), m.EnglandValue, "England value"),
                         (nameof(MeasureInput.NeighbourValue), m.NeighbourValue, "Statistical-neighbour value"),
                     })
                v.When(value is < 0 or > 100, field, $"{label} is a percentage: enter a number from 0 to 100.");
        }
        else
        {
            v.When(m.Target < 0, nameof(MeasureInput.Target), "Target cannot be negative.");
            v.When(m.EnglandValue < 0, nameof(MeasureInput.EnglandValue), "England value cannot be negative.");
            v.When(m.NeighbourValue < 0, nameof(MeasureInput.NeighbourValue), "Statistical-neighbour value cannot be negative.");
        }
        v.When(m.Polarity == Polarity.Neutral && m.Target is not null, nameof(MeasureInput.Target),
            "A neutral measure is context only: it has no target. Clear the target or choose a polarity.");
        v.When(m.AmberTolerance < 0, nameof(MeasureInput.AmberTolerance), "Amber tolerance cannot be negative.");
        v.When(m.AmberTolerance is not null && m.Target is null, nameof(MeasureInput.AmberTolerance), "An amber tolerance needs a target.");
        v.When(m.DecimalPlaces is < 0 or > 4, nameof(MeasureInput.DecimalPlaces), "Decimal places must be between 0 and 4.");
        v.When(m.BenchmarkNote.Length > 500, nameof(MeasureInput.BenchmarkNote), "Benchmark note must be at most 500 characters.");
        v.When(m.SortOrder is < 0 or > 10_000, nameof(MeasureInput.SortOrder), "Order must be between 0 and 10,000.");
        return v;
    }

    private static async Task<Validator> CheckReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, MeasureInput m, CancellationToken ct)
    {
        var v = new Validator();
        var found = await conn.QuerySingleAsync<(bool Priority, bool Owner, int Reporters)>(new CommandDefinition("""
            select exists(select 1 from priority where partnership_id = @PartnershipId and id = @PriorityId) as priority,
                   exists(select 1 from agency where partnership_id = @PartnershipId and id = @OwnerAgencyId) as owner,
                   (select count(*)::int from agency where partnership_id = @PartnershipId and id = any(@Reporters)) as reporters
            """, new { actor.PartnershipId, m.PriorityId, m.OwnerAgencyId, Reporters = m.ReporterIds.ToArray() }, tx, cancellationToken: ct));
        v.When(!found.Priority, nameof(MeasureInput.PriorityId), "That priority does not exist in this partnership.");
        v.When(!found.Owner, nameof(MeasureInput.OwnerAgencyId), "That agency does not exist in this partnership.");
        v.When(found.Reporters != m.ReporterIds.Count, nameof(MeasureInput.ReporterIds), "One of the reporting agencies does not exist in this partnership.");
        return v;
    }
}
