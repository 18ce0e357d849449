using System.Net;
using System.Text;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// The same pack as a print-friendly HTML page (print CSS: A4, page breaks before each item, no navigation), so a browser
/// can save it as PDF. Charts are the same PNGs as the .docx, inline, each with its text alternative.
/// </summary>
public static class PackHtml
{
    private const string Css = """
        body { font-family: Arial, Helvetica, sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 60rem; line-height: 1.45; }
        h1 { color: #0b4f6c; } h2 { color: #0b4f6c; border-bottom: 2px solid #0b4f6c; padding-bottom: .2rem; margin-top: 2.5rem; }
        h3 { color: #0b4f6c; }
        table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
        th, td { border: 1px solid #9ea7b0; padding: .35rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef2f5; }
        figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; } figcaption { color: #4a5561; font-size: .9rem; }
        .cover { min-height: 40vh; } .subtitle { color: #4a5561; font-size: 1.2rem; }
        .print-note { background: #eef2f5; padding: .5rem 1rem; }
        @page { size: A4; margin: 20mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 11pt; }
          .print-note { display: none; }
          .cover { page-break-after: always; }
          section.item { page-break-before: always; }
          table, figure { page-break-inside: avoid; }
        }
        """;

    public static string Render(PackModel model)
    {
        var sb = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        sb.Append("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>")
          .Append(E($"{model.MeetingTitle}, {model.MeetingDate.ToString("d MMMM yyyy", MeetingWords.Uk)}: meeting pack")).Append("</title><style>").Append(Css).Append("</style></head><body><main>");
        sb.Append("<p class=\"print-note\">Print this page, or save it as PDF from the browser's print dialogue.</p>");
        sb.Append("<div class=\"cover\"><p class=\"subtitle\">").Append(E(model.PartnershipName)).Append("</p><h1>").Append(E(model.MeetingTitle)).Append("</h1><p>")
          .Append(E($"{model.MeetingKind} meeting, {model.MeetingDate.ToString("dddd d MMMM yyyy", MeetingWords.Uk)}")).Append("</p><p>")
          .Append(E(model.Version > 0 ? $"Meeting pack, version {model.Version}" : "Meeting pack, draft (not yet stored)")).Append("</p></div>");

        sb.Append("<h2>Agenda</h2>");
        Table(sb, "Agenda", ["No.", "Section", "Item", "Why it is here"], model.Items.Select(i => (IReadOnlyList<string>)[i.Number.ToString(MeetingWords.Uk), i.Section, i.Title, i.Reason]));
        sb.Append("<h2>Attendance</h2>");
        Table(sb, "Attendance", ["Agency", "Represented", "By"], model.Attendance.Select(a => (IReadOnlyList<string>)[a.AgencyName, a.Attended ? "Yes" : "No", a.Representative]));

        foreach (var item in model.Items)
        {
            sb.Append("<section class=\"item\"><h2>").Append(E($"{item.Number}. {item.Title}")).Append("</h2><p>")
              .Append(E(item.Section + (item.Reason.Length > 0 ? ": " + item.Reason : ""))).Append("</p>");
            if (item.Facts.Count > 0)
                Table(sb, $"Facts of item {item.Number}", ["Fact", "Value"], item.Facts.Select(f => (IReadOnlyList<string>)[f.Label, f.Value]));
            if (item.Chart is { } chart)
                Figure(sb, PackCharts.Xmr(chart), chart.Summary);
            if (item.HeatMap is { } map)
                Figure(sb, PackCharts.HeatMap(map), map.Caption);
            if (item.Table is { } table)
            {
                sb.Append("<h3>").Append(E(table.Caption)).Append("</h3>");
                Table(sb, table.Caption, table.Headers, table.Rows);
            }
            if (item.Records.Count > 0)
            {
                sb.Append("<h3>Recorded at the meeting</h3><ul>");
                foreach (var r in item.Records)
                    sb.Append("<li>").Append(E($"{r.Kind}: {r.Text}" + (r.Owner.Length > 0 ? $" (owner: {r.Owner}{(r.Due.Length > 0 ? $", due {r.Due}" : "")})" : ""))).Append("</li>");
                sb.Append("</ul>");
            }
            sb.Append("</section>");
        }
        sb.Append("<section class=\"item\"><h2>Decisions and actions log</h2>");
        if (model.Log.Count == 0)
            sb.Append("<p>Nothing has been recorded yet.</p>");
        else
            Table(sb, "Decisions and actions log", ["Item", "Kind", "What", "Owner", "Due"], model.Log.Select(r => (IReadOnlyList<string>)[$"{r.ItemNumber}. {r.ItemTitle}", r.Kind, r.Text, r.Owner, r.Due]));
        sb.Append("</section></main></body></html>");
        return sb.ToString();
    }

    private static void Figure(StringBuilder sb, byte[] png, string alt)
    {
        var text = WebUtility.HtmlEncode(alt);
        sb.Append("<figure><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\" alt=\"").Append(text)
          .Append("\"><figcaption>").Append(text).Append("</figcaption></figure>");
    }

    private static void Table(StringBuilder sb, string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        sb.Append("<table><caption class=\"visually-hidden\" style=\"position:absolute;left:-9999px\">").Append(WebUtility.HtmlEncode(caption)).Append("</caption><thead><tr>");
        foreach (var h in headers)
            sb.Append("<th scope=\"col\">").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
                sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }
}
