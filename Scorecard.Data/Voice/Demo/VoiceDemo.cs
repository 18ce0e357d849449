using Npgsql;
using Dapper;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Demo;

namespace Scorecard.Data.Voice.Demo;

/// <summary>A demo activity: the agency by demo key (null for a forum), its questions, and its key messages.</summary>
public sealed record DemoVoiceActivity(string? AgencyKey, VoiceActivityInput Input, IReadOnlyList<DemoVoiceMessage> Messages);

/// <summary>A key message; <paramref name="Approved"/> quotes are shared beyond QA, the others wait as drafts.</summary>
public sealed record DemoVoiceMessage(string Message, string? Quote, ConsentBasis? Consent, bool Approved, string YouSaidWeDid);

/// <summary>
/// The voice demo (issue 12, Demo data), deterministic: the children in care survey (about 200 a wave, four waves 2023–2025),
/// the survey of children on a child protection plan (two waves), a young carers' consultation and focus group (small enough
/// to be suppressed), the Cheshire Youth Commission's online-safety consultation, Three Houses direct work, a parents' survey,
/// the practitioner survey (about 450 a wave, two waves) and two rounds of front-line practitioner visits, with key messages,
/// quotes and "you said, we did". Planted for triangulation: fewer than half of children on a plan say they were listened to
/// at their conference, and fewer than half of children in care say they had a say in their plan, while practitioners are
/// confident that children's views shape plans; children feel safe and practitioners know the exploitation pathway.
/// </summary>
public static class VoiceDemoGenerator
{
    public const string ChildrenInCareSeries = "children-in-care-survey";
    public const string ChildProtectionSeries = "cp-plan-survey";
    public const string PractitionerSeries = "practitioner-survey";
    public const string VisitsSeries = "practitioner-visits";
    public const string YoungCarersFocusGroup = "Young carers' focus group";

    private sealed record Q(string Key, string Wording, AnswerScale Scale, params double[] Shares);

    public static IReadOnlyList<DemoVoiceActivity> Generate(int seed = DemoGenerator.DefaultSeed)
    {
        var random = new Random(seed ^ 0x701CE);
        var list = new List<DemoVoiceActivity>();

        // Children in care: four waves. Shares per wave (positive, middle); the rest answer negatively.
        DateOnly[] cicEnds = [new(2023, 3, 31), new(2023, 11, 30), new(2024, 11, 30), new(2025, 7, 31)];
        int[] cicRespondents = [196, 204, 211, 199];
        for (var w = 0; w < 4; w++)
        {
            var n = cicRespondents[w];
            list.Add(new DemoVoiceActivity("council", new VoiceActivityInput(
                $"Children in care survey {cicEnds[w]:MMMM yyyy}", VoiceMethod.Survey, RespondentGroup.ChildrenYoungPeople, "Children in care", null, "",
                ChildrenInCareSeries, w + 1, cicEnds[w].AddDays(-41), cicEnds[w], n,
                [
                    Question(random, n, new Q("feel-safe", "I feel safe where I live", AnswerScale.AgreeNeitherDisagree, At(w, 0.86, 0.87, 0.89, 0.90), 0.07)),
                    Question(random, n, new Q("listened-to", "My social worker listens to me", AnswerScale.AgreeNeitherDisagree, At(w, 0.62, 0.63, 0.66, 0.64), 0.2)),
                    Question(random, n, new Q("say-in-plan", "I had a say in what went into my care plan", AnswerScale.AgreeNeitherDisagree, At(w, 0.47, 0.45, 0.42, 0.39), 0.25)),
                    Question(random, n, new Q("trusted-adult", "I have a trusted adult I can talk to", AnswerScale.YesSometimesNo, At(w, 0.78, 0.80, 0.83, 0.84), 0.11)),
                    Question(random, n, new Q("safe-online", "I know how to stay safe online", AnswerScale.AgreeNeitherDisagree, At(w, 0.81, 0.84, 0.86, 0.88), 0.08)),
                ]), w == 3
                ? [
                    new("Children in care told us they feel safe where they live, and most have a trusted adult.", null, null, false, ""),
                    new("Fewer than half felt they had a say in their care plan, and fewer each year.", "\"They write the plan and then tell me what's in it.\"", ConsentBasis.ConsentGiven, true,
                        "Reviewing officers now meet each child before the review and the plan opens with the child's own words (from September 2025)."),
                    new("Some children said changes of social worker made it hard to be heard.", "\"I've had four social workers. I stopped telling them things.\"", ConsentBasis.ConsentGiven, false, ""),
                ]
                : []));
        }

        // Children on a child protection plan: two waves.
        DateOnly[] cpEnds = [new(2024, 3, 31), new(2025, 6, 30)];
        int[] cpRespondents = [104, 118];
        for (var w = 0; w < 2; w++)
        {
            var n = cpRespondents[w];
            list.Add(new DemoVoiceActivity("council", new VoiceActivityInput(
                $"Children on a child protection plan survey {cpEnds[w]:yyyy}", VoiceMethod.Survey, RespondentGroup.ChildrenYoungPeople, "Children on a child protection plan", null, "",
                ChildProtectionSeries, w + 1, cpEnds[w].AddDays(-60), cpEnds[w], n,
                [
                    Question(random, n, new Q("listened-at-conference", "I was listened to at my conference", AnswerScale.YesSometimesNo, At(w, 0.44, 0.35), 0.3)),
                    Question(random, n, new Q("understand-plan", "I understand what my plan is for", AnswerScale.YesSometimesNo, At(w, 0.55, 0.58), 0.25)),
                    Question(random, n, new Q("safer-since-plan", "I feel safer since my plan started", AnswerScale.AgreeNeitherDisagree, At(w, 0.69, 0.72), 0.18)),
                ]), w == 1
                ? [
                    new("Under half of children on a plan said they were listened to at their conference.", "\"Everyone talked about me like I wasn't there.\"", ConsentBasis.ConsentGiven, true,
                        "Conference chairs now offer every child a meeting before conference and an advocate; take-up is reported to the QA subgroup."),
                ]
                : []));
        }

        // Young carers: a consultation whose small answers are suppressed, and a focus group of four.
        list.Add(new DemoVoiceActivity(null, new VoiceActivityInput(
            "Young carers' consultation", VoiceMethod.Consultation, RespondentGroup.ChildrenYoungPeople, "Young carers", null, "Cheshire East young carers' group",
            null, null, new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 31), 14,
            [
                new("school-knows", "Someone at my school knows I am a young carer", AnswerScale.YesNo, [11, 3]),
                new("time-for-me", "I get time for myself each week", AnswerScale.YesSometimesNo, [6, 5, 3]),
                new("know-help", "I know who to ask for help", AnswerScale.YesNo, [14, 0]),
            ]),
            [new("Young carers want their school to know without having to explain again each year.", "\"I had to tell every new teacher myself.\"", ConsentBasis.ParentalConsent, false,
                "Schools now record young carer status on transfer; checked in the Section 175 self-assessment.")]));
        list.Add(new DemoVoiceActivity(null, new VoiceActivityInput(
            YoungCarersFocusGroup, VoiceMethod.FocusGroup, RespondentGroup.ChildrenYoungPeople, "Young carers", null, "Cheshire East young carers' group",
            null, null, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), 4,
            [new("listened-to", "Professionals listen to young carers", AnswerScale.YesSometimesNo, [1, 2, 1])]),
            []));

        // The Cheshire Youth Commission's consultation on online safety.
        list.Add(new DemoVoiceActivity(null, new VoiceActivityInput(
            "Youth Commission consultation: staying safe online", VoiceMethod.Consultation, RespondentGroup.ChildrenYoungPeople, "All children aged 11 to 18", null, "Cheshire Youth Commission",
            null, null, new DateOnly(2025, 1, 6), new DateOnly(2025, 2, 28), 326,
            [
                Question(random, 326, new Q("safe-online", "I know how to stay safe online", AnswerScale.AgreeNeitherDisagree, 0.85, 0.09)),
                Question(random, 326, new Q("help-online", "I know where to get help if something goes wrong online", AnswerScale.AgreeNeitherDisagree, 0.80, 0.12)),
                Question(random, 326, new Q("safe-area", "I feel safe in my local area", AnswerScale.AgreeNeitherDisagree, 0.83, 0.1)),
            ]),
            [
                new("Young people know how to stay safe online and feel safe in their area; some did not know how to report.", "\"Tell us what actually happens after you report something.\"", ConsentBasis.AnonymisedNoConsentNeeded, true,
                    "A 'what happens when you report' guide written with the Youth Commission went to every secondary school in spring 2025."),
            ]));

        // Three Houses direct work with children on a plan.
        list.Add(new DemoVoiceActivity("council", new VoiceActivityInput(
            "Three Houses direct work: children on a plan", VoiceMethod.DirectWork, RespondentGroup.ChildrenYoungPeople, "Children on a child protection plan", null, "",
            null, null, new DateOnly(2025, 4, 1), new DateOnly(2025, 6, 30), 38,
            [new("worries-in-plan", "My worries were written into my plan", AnswerScale.YesSometimesNo, [14, 12, 12])]),
            [new("Children's 'house of worries' often did not appear in their plan.", null, null, false, "")]));

        // Parents' experience of child protection conferences.
        list.Add(new DemoVoiceActivity("council", new VoiceActivityInput(
            "Parents' experience of child protection conferences", VoiceMethod.Survey, RespondentGroup.ParentsCarers, "Parents of children on a plan", null, "",
            null, null, new DateOnly(2025, 2, 1), new DateOnly(2025, 4, 30), 64,
            [
                Question(random, 64, new Q("understood-worries", "I understood what the professionals were worried about", AnswerScale.AgreeNeitherDisagree, 0.62, 0.2)),
                Question(random, 64, new Q("report-in-time", "I saw the reports before the conference", AnswerScale.YesSometimesNo, 0.48, 0.2)),
            ]),
            [new("Parents want reports shared before the conference, not on the day.", null, null, false, "Reports now go to parents three working days before conference.")]));

        // The practitioner survey: two waves of about 450.
        DateOnly[] prEnds = [new(2024, 6, 30), new(2025, 6, 30)];
        int[] prRespondents = [437, 468];
        for (var w = 0; w < 2; w++)
        {
            var n = prRespondents[w];
            list.Add(new DemoVoiceActivity(null, new VoiceActivityInput(
                $"Practitioner survey {prEnds[w]:yyyy}", VoiceMethod.Survey, RespondentGroup.Practitioners, "The multi-agency workforce", null, "Safeguarding partnership business unit",
                PractitionerSeries, w + 1, prEnds[w].AddDays(-45), prEnds[w], n,
                [
                    Question(random, n, new Q("know-exploitation", "I know how to identify and refer a child at risk of exploitation", AnswerScale.AgreeNeitherDisagree, At(w, 0.81, 0.87), 0.1)),
                    Question(random, n, new Q("voice-shapes-plans", "I am confident children's views shape the plans I contribute to", AnswerScale.AgreeNeitherDisagree, At(w, 0.84, 0.86), 0.1)),
                    Question(random, n, new Q("supervision", "I get regular safeguarding supervision", AnswerScale.AgreeNeitherDisagree, At(w, 0.63, 0.55), 0.15)),
                    Question(random, n, new Q("neglect-tool", "I use the neglect screening tool when I am worried about neglect", AnswerScale.YesSometimesNo, At(w, 0.57, 0.61), 0.25)),
                    Question(random, n, new Q("da-impact", "I am confident assessing the impact of domestic abuse on children", AnswerScale.AgreeNeitherDisagree, At(w, 0.74, 0.76), 0.14)),
                ]), w == 1
                ? [new("Practitioners are confident about exploitation; regular supervision has fallen.", null, null, false,
                    "Each agency's supervision policy is checked in the Section 11 2025 self-assessment (standard 9).")]
                : []));
        }

        // Two rounds of front-line practitioner visits by the QA subgroup.
        DateOnly[] visitEnds = [new(2024, 11, 29), new(2025, 9, 26)];
        int[] visitRespondents = [36, 41];
        for (var w = 0; w < 2; w++)
        {
            var n = visitRespondents[w];
            list.Add(new DemoVoiceActivity(null, new VoiceActivityInput(
                $"Front-line practitioner visits, round {w + 1}", VoiceMethod.PractitionerVisit, RespondentGroup.Practitioners, "Front-line practitioners", null, "QA subgroup",
                VisitsSeries, w + 1, visitEnds[w].AddDays(-25), visitEnds[w], n,
                [
                    Question(random, n, new Q("exploitation-pathway", "The practitioner could describe the exploitation pathway", AnswerScale.YesSometimesNo, At(w, 0.92, 0.95), 0.05)),
                    Question(random, n, new Q("voice-in-plan", "The practitioner described how the child's views changed the plan", AnswerScale.YesSometimesNo, At(w, 0.81, 0.93), 0.05)),
                ]),
                [new($"Round {w + 1}: practitioners were confident and knew the pathways; workloads were the main worry.", null, null, false, "")]));
        }
        return list;
    }

    /// <summary>Counts for a question from a share positive and (for three-point scales) a middle share, with a little noise.</summary>
    private static VoiceQuestionInput Question(Random random, int respondents, Q q)
    {
        var answered = respondents - random.Next(0, Math.Max(1, respondents / 40));
        var positiveShare = q.Shares[0] + (random.NextDouble() - 0.5) * 0.02;
        var positive = (int)Math.Round(answered * positiveShare);
        int[] counts = q.Scale switch
        {
            AnswerScale.YesNo => [positive, answered - positive],
            AnswerScale.OneToFive => Spread5(answered, positive),
            _ => [positive, (int)Math.Round(answered * q.Shares[1]), 0],
        };
        if (q.Scale is AnswerScale.AgreeNeitherDisagree or AnswerScale.YesSometimesNo)
            counts[2] = answered - counts[0] - counts[1];
        return new VoiceQuestionInput(q.Key, q.Wording, q.Scale, counts);
    }

    private static double At(int wave, params double[] values) => values[wave];

    private static int[] Spread5(int answered, int positive)
    {
        var rest = answered - positive;
        return [rest / 3, rest / 3, rest - 2 * (rest / 3), positive / 2, positive - positive / 2];
    }

    /// <summary>Writes the demo activities, then the triangulation themes that link to them, into the demo partnership inside <see cref="DemoLoader"/>'s transaction.</summary>
    public static async Task LoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, IReadOnlyDictionary<string, int> agencyIds, CancellationToken ct)
    {
        var system = new Actor(partnershipId, 0, "Demo loader", Role.Admin, null);
        foreach (var a in Generate())
        {
            var input = a.Input with { AgencyId = a.AgencyKey is null ? null : agencyIds[a.AgencyKey] };
            var id = await VoiceCommands.InsertAsync(conn, tx, system, input, VoiceSource.Demo, ct);
            if (a.Messages.Count == 0)
                continue;
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into voice_message (partnership_id, activity_id, message, quote, consent_basis, review_status, you_said_we_did, reviewed_at)
                select @partnershipId, @id, m, q, c, s, y, case when s = 'approved_for_sharing' then @At end
                from unnest(@Messages, @Quotes, @Consents, @Statuses, @YouSaid) as t(m, q, c, s, y)
                """, new
            {
                partnershipId, id, At = input.PeriodEnd.AddDays(30).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
                Messages = a.Messages.Select(m => m.Message).ToArray(), Quotes = a.Messages.Select(m => m.Quote).ToArray(),
                Consents = a.Messages.Select(m => m.Consent?.ToDb()).ToArray(),
                Statuses = a.Messages.Select(m => (m.Approved ? QuoteReview.ApprovedForSharing : QuoteReview.Draft).ToDb()).ToArray(),
                YouSaid = a.Messages.Select(m => m.YouSaidWeDid).ToArray(),
            }, tx, cancellationToken: ct));
        }
        // The lines of enquiry link to these activities' questions, so they follow them.
        await Triangulation.TriangulationDemo.LoadAsync(conn, tx, partnershipId, ct);
    }
}
