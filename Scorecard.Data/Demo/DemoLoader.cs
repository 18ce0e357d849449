using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Demo;

/// <summary>Loads a generated demo partnership into the database in one transaction (all or nothing).</summary>
public static class DemoLoader
{
    /// <summary>Loads the partnership unless one with its code is already there. Returns its id, and whether it was loaded now.</summary>
    public static async Task<(int PartnershipId, bool Loaded)> LoadAsync(NpgsqlDataSource dataSource, DemoPartnership demo, ILogger? logger = null, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Serialise concurrent loaders (two instances starting on one empty database).
        await conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(4242)", transaction: tx, cancellationToken: ct));
        var existing = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select id from partnership where code = @Code", new { demo.Code }, tx, cancellationToken: ct));
        if (existing is { } id)
            return (id, false);

        var partnershipId = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "insert into partnership (code, name, short_name) values (@Code, @Name, @ShortName) returning id",
            new { demo.Code, demo.Name, demo.ShortName }, tx, cancellationToken: ct));

        var agencyIds = new Dictionary<string, int>();
        foreach (var a in demo.Agencies)
        {
            agencyIds[a.Key] = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into agency (partnership_id, name, short_name, sector, partner_type)
                values (@PartnershipId, @Name, @ShortName, @Sector, @PartnerType) returning id
                """, new { PartnershipId = partnershipId, a.Name, a.ShortName, a.Sector, a.PartnerType }, tx, cancellationToken: ct));
        }

        var priorityIds = new Dictionary<string, int>();
        foreach (var p in demo.Priorities)
        {
            priorityIds[p.Code] = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into priority (partnership_id, code, title, description, sort_order)
                values (@PartnershipId, @Code, @Title, @Description, @SortOrder) returning id
                """, new { PartnershipId = partnershipId, p.Code, p.Title, p.Description, p.SortOrder }, tx, cancellationToken: ct));
        }

        var measureIds = new Dictionary<string, int>();
        foreach (var m in demo.Measures)
        {
            var measureId = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into measure (partnership_id, code, title, definition, unit, numerator_label, denominator_label, polarity,
                    priority_id, owner_agency_id, target, amber_tolerance, decimal_places, england_value, neighbour_value, benchmark_note, sort_order, suppress_small_numbers)
                values (@PartnershipId, @Code, @Title, @Definition, @Unit, @NumeratorLabel, @DenominatorLabel, @Polarity,
                    @PriorityId, @OwnerId, @Target, @AmberTolerance, @DecimalPlaces, @EnglandValue, @NeighbourValue, @BenchmarkNote, @SortOrder, @SuppressSmallNumbers)
                returning id
                """, new
            {
                PartnershipId = partnershipId, m.Code, m.Title, m.Definition, Unit = m.Unit.ToDb(), m.NumeratorLabel, m.DenominatorLabel, Polarity = m.Polarity.ToDb(),
                PriorityId = priorityIds[m.PriorityCode], OwnerId = agencyIds[m.OwnerAgencyKey], m.Target, m.AmberTolerance,
                DecimalPlaces = (short)m.DecimalPlaces, m.EnglandValue, m.NeighbourValue, m.BenchmarkNote, m.SortOrder, m.SuppressSmallNumbers,
            }, tx, cancellationToken: ct));
            measureIds[m.Code] = measureId;
            await conn.ExecuteAsync(new CommandDefinition(
                "insert into measure_reporter (partnership_id, measure_id, agency_id) select @PartnershipId, @MeasureId, unnest(@Agencies)",
                new { PartnershipId = partnershipId, MeasureId = measureId, Agencies = m.ReporterKeys.Select(k => agencyIds[k]).ToArray() },
                tx, cancellationToken: ct));
        }

        var periodIds = new Dictionary<(int, int), int>();
        foreach (var p in demo.Periods)
        {
            periodIds[(p.FiscalYear, p.Quarter)] = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into reporting_period (partnership_id, fiscal_year, quarter, start_date, end_date, due_date, is_open)
                values (@PartnershipId, @FiscalYear, @Quarter, @Start, @End, @Due, true) returning id
                """, new { PartnershipId = partnershipId, p.FiscalYear, Quarter = (short)p.Quarter, p.Start, p.End, p.Due }, tx, cancellationToken: ct));
        }

        foreach (var u in demo.Users)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into app_user (partnership_id, email, display_name, role, agency_id, password_hash)
                values (@PartnershipId, @Email, @DisplayName, @Role, @AgencyId, @Hash)
                """, new
            {
                PartnershipId = partnershipId, u.Email, u.DisplayName, u.Role,
                AgencyId = u.AgencyKey is null ? (int?)null : agencyIds[u.AgencyKey], Hash = UserCommands.HashPassword(u.Password),
            }, tx, cancellationToken: ct));
        }

        var valueCounts = demo.Values.CountBy(v => (v.AgencyKey, v.FiscalYear, v.Quarter)).ToDictionary();
        // Returns in one statement, their ids back; then every value by binary COPY.
        var returnRows = (await conn.QueryAsync<(long Id, int AgencyId, int PeriodId)>(new CommandDefinition("""
            insert into data_return (partnership_id, agency_id, period_id, version, status, source, submitted_at, value_count)
            select @PartnershipId, a, p, 1, 'accepted', 'demo', s, n
            from unnest(@Agencies, @Periods, @SubmittedAt, @Counts) as t(a, p, s, n)
            returning id, agency_id, period_id
            """, new
        {
            PartnershipId = partnershipId,
            Agencies = demo.Returns.Select(r => agencyIds[r.AgencyKey]).ToArray(),
            Periods = demo.Returns.Select(r => periodIds[(r.FiscalYear, r.Quarter)]).ToArray(),
            SubmittedAt = demo.Returns.Select(r => r.SubmittedAt.UtcDateTime).ToArray(),
            Counts = demo.Returns.Select(r => valueCounts.GetValueOrDefault((r.AgencyKey, r.FiscalYear, r.Quarter))).ToArray(),
        }, tx, cancellationToken: ct))).ToDictionary(r => (r.AgencyId, r.PeriodId), r => r.Id);

        // Rows go in key order (return, then measure), as an upload writes a return's values together. The generator
        // lists values measure by measure; copied in that order, one partnership's rows lie in the heap in a different
        // order from measure_value_pkey, and the scorecard's index scan then visits a heap page per row instead of
        // per page once other partnerships' data make the planner use the index.
        var rows = demo.Values
            .Select(v => (ReturnId: returnRows[(agencyIds[v.AgencyKey], periodIds[(v.FiscalYear, v.Quarter)])], MeasureId: measureIds[v.MeasureCode], Value: v))
            .OrderBy(r => r.ReturnId).ThenBy(r => r.MeasureId)
            .ToList();
        await using (var writer = await conn.BeginBinaryImportAsync(
            "copy measure_value (partnership_id, return_id, measure_id, numerator, denominator, value, commentary) from stdin (format binary)", ct))
        {
            foreach (var (returnId, measureId, v) in rows)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(partnershipId, NpgsqlDbType.Integer, ct);
                await writer.WriteAsync(returnId, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(measureId, NpgsqlDbType.Integer, ct);
                await WriteNullableAsync(writer, v.Numerator, ct);
                await WriteNullableAsync(writer, v.Denominator, ct);
                await writer.WriteAsync(v.Value, NpgsqlDbType.Numeric, ct);
                await writer.WriteAsync(v.Commentary, NpgsqlDbType.Text, ct);
            }
            await writer.CompleteAsync(ct);
        }

        await Assurance.Demo.AssuranceDemoLoader.LoadAsync(conn, tx, partnershipId, demo, agencyIds, priorityIds, periodIds, ct);
        await Voice.Demo.VoiceDemoGenerator.LoadAsync(conn, tx, partnershipId, agencyIds, ct);
        await Improvement.Demo.ImprovementDemoLoader.LoadAsync(conn, tx, partnershipId, agencyIds, ct);
        await Meetings.Demo.MeetingDemo.LoadAsync(conn, tx, partnershipId, demo, agencyIds, ct);
        var system = new Actor(partnershipId, 0, "Demo loader", Role.Admin, null);
        await ChangeLog.WriteAsync(conn, tx, system, "partnership", partnershipId, "import",
            $"Loaded the demo partnership: {demo.Agencies.Count} agencies, {demo.Measures.Count} measures, {demo.Periods.Count} quarters, {demo.Values.Count} values",
            null, new { demo.Code, Agencies = demo.Agencies.Count, Measures = demo.Measures.Count, Values = demo.Values.Count }, ct);
        await tx.CommitAsync(ct);
        await Meetings.Demo.MeetingDemo.GeneratePacksAsync(dataSource, partnershipId, demo, logger, ct);
        logger?.LogInformation("Loaded the demo partnership {Code}: {Agencies} agencies, {Measures} measures, {Values} values",
            demo.Code, demo.Agencies.Count, demo.Measures.Count, demo.Values.Count);
        return (partnershipId, true);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter writer, decimal? value, CancellationToken ct)
    {
        if (value is { } v)
            await writer.WriteAsync(v, NpgsqlDbType.Numeric, ct);
        else
            await writer.WriteNullAsync(ct);
    }
}
