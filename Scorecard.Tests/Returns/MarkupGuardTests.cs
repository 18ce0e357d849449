using System.Text;
using Scorecard.Data.Returns;

namespace Scorecard.Tests.Returns;

/// <summary>
/// The guard that bounds one run of markup or text while a part inflates skips uninteresting bytes in bulk: it must
/// decide exactly as a byte-by-byte scan would, wherever the inflater happens to cut the bytes.
/// </summary>
public sealed class MarkupGuardTests
{
    private const int Limit = XlsxPackage.MarkupGuard.MaxRunBytes;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(4096)]
    [InlineData(65_536)]
    public void MarkupWithShortRunsPassesHoweverItIsCut(int piece)
    {
        // Several megabytes in all, every run well under the limit: elements, text, comments and CDATA sections.
        var sb = new StringBuilder("<?xml version=\"1.0\"?><root>");
        for (var i = 0; i < 40; i++)
            sb.Append("<c>").Append('x', Limit / 2).Append("</c><!--").Append('-', 10).Append("note-->").Append("<![CDATA[").Append('[', 20).Append("]]>");
        sb.Append("</root>");
        Scan(sb.ToString(), piece);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    [InlineData(65_536)]
    public void TextOverTheLimitBetweenTwoTagsIsRefused(int piece)
    {
        var xml = "<c>" + new string('x', Limit + 1) + "</c>";
        var e = Assert.Throws<UploadRefusedException>(() => Scan(xml, piece));
        Assert.Contains("holds more than 1 MB of text or markup in one piece", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4096)]
    public void TextJustUnderTheLimitIsAllowed(int piece) =>
        // The run counts from the "<" that starts it: "<c>" and the text make up the limit exactly.
        Scan("<c>" + new string('x', Limit - 3) + "<d/>", piece);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void AMarkerInsideALongCommentDoesNotResetTheRun(int piece)
    {
        // Inside a comment "<" starts nothing, so a long comment full of "<" is still one run.
        var body = string.Concat(Enumerable.Repeat("<a>", Limit / 3 + 10));
        var e = Assert.Throws<UploadRefusedException>(() => Scan("<r><!--" + body + "--></r>", piece));
        Assert.Contains("in one piece", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(4096)]
    public void AMarkerInsideALongCdataSectionDoesNotResetTheRun(int piece)
    {
        var body = string.Concat(Enumerable.Repeat("<b>--", Limit / 5 + 10));
        Assert.Throws<UploadRefusedException>(() => Scan("<r><![CDATA[" + body + "]]></r>", piece));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void AfterACommentEndsTheNextTagResetsTheRun(int piece) =>
        // A comment just under the limit, then text just under it again after a tag: two runs, both allowed.
        Scan("<r><!--" + new string('y', Limit - 20) + "--><c>" + new string('z', Limit - 10) + "</c></r>", piece);

    private static void Scan(string xml, int piece)
    {
        var guard = new XlsxPackage.MarkupGuard("xl/test.xml");
        var bytes = Encoding.UTF8.GetBytes(xml);
        for (var at = 0; at < bytes.Length; at += piece)
            guard.Scan(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
    }
}
