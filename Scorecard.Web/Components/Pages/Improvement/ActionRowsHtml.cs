using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Scorecard.Data.Common;
using Scorecard.Data.Improvement;

namespace Scorecard.Web.Components.Pages.Improvement;

/// <summary>
/// The rows of the action list as one piece of HTML: a circuit then keeps one string per page of rows rather than a render
/// tree of elements, attributes and a status component per row (the page weighed 1.1 MB per circuit). Every text is
/// HTML-encoded here. The same markup as <see cref="ActionStatusChip"/>: status as words and colour, never colour alone.
/// </summary>
public static class ActionRowsHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static MarkupString Render(IReadOnlyList<ActionRow> rows)
    {
        var html = new StringBuilder(rows.Count * 640);
        foreach (var r in rows)
        {
            html.Append(r.Overdue ? "<tr class=\"loop-row--overdue\">" : "<tr>")
                .Append("<td><a href=\"/improvement/actions/").Append(r.Id.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Encoder.Encode(r.Title)).Append("</a></td>")
                .Append("<td><span class=\"muted\">").Append(Encoder.Encode(r.SourceKind.Label())).Append(":</span> <a href=\"")
                .Append(Encoder.Encode(SourceLinks.PlanHref(r.SourceKind, r.SourceKey))).Append("\">").Append(Encoder.Encode(r.SourceTitle)).Append("</a></td>")
                .Append("<td>").Append(Encoder.Encode(r.OwnerAgencyName)).Append("<br /><span class=\"muted\">").Append(Encoder.Encode(r.OwnerPerson)).Append("</span></td>")
                .Append("<td>").Append(r.DueDate.ToString("d MMM yyyy", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td><span class=\"loop-chip loop-chip--").Append(r.Status.ToDb()).Append("\">").Append(Encoder.Encode(r.Status.Label())).Append("</span>");
            if (r.Overdue)
                html.Append(" <span class=\"loop-chip loop-chip--overdue\">Overdue</span>");
            if (r.Returns > 0)
                html.Append("<span class=\"loop-chip loop-chip--returned\">Returned at moderation</span>");
            html.Append("</td><td>").Append(r.LastUpdateOn?.ToString("d MMM yyyy", CultureInfo.InvariantCulture) ?? "None").Append("</td></tr>");
        }
        return new MarkupString(html.ToString());
    }
}
