using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using Scorecard.Data.Assurance.SelfAssessment;

namespace Scorecard.Tests.Assurance;

/// <summary>Evidence files are identified by their bytes: five kinds accepted, everything else refused with a reason.</summary>
public sealed class EvidenceFileTests
{
    private const int TenMb = 10 * 1024 * 1024;

    public static byte[] Zip(params string[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entries)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(name == "[Content_Types].xml" ? "<Types/>" : "<x/>");
            }
        }
        return ms.ToArray();
    }

    public static byte[] Workbook()
    {
        using var wb = new XLWorkbook();
        wb.AddWorksheet("Evidence").Cell(1, 1).Value = "Training log";
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF");
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    [Fact]
    public void TheFiveKindsAreRecognisedFromTheirBytes()
    {
        Assert.Equal(EvidenceFiles.Pdf, EvidenceFiles.Identify(Pdf, TenMb).Value);
        Assert.Equal(EvidenceFiles.Png, EvidenceFiles.Identify(Png, TenMb).Value);
        Assert.Equal(EvidenceFiles.Jpeg, EvidenceFiles.Identify(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 }, TenMb).Value);
        Assert.Equal(EvidenceFiles.Docx, EvidenceFiles.Identify(Zip("[Content_Types].xml", "word/document.xml"), TenMb).Value);
        Assert.Equal(EvidenceFiles.Xlsx, EvidenceFiles.Identify(Workbook(), TenMb).Value);
    }

    [Theory]
    [InlineData("MZ\u0090\u0000 renamed executable", "must be a PDF")]
    [InlineData("<!DOCTYPE html><script>alert(1)</script>", "must be a PDF")]
    [InlineData("", "empty")]
    public void OtherFilesAreRefused(string content, string message)
    {
        var result = EvidenceFiles.Identify(Encoding.Latin1.GetBytes(content), TenMb);

        Assert.False(result.Succeeded);
        Assert.Contains(message, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void AMacroWorkbookAZipThatIsNotOfficeAndAnOversizeFileAreRefused()
    {
        Assert.Contains("macros", EvidenceFiles.Identify(Zip("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), TenMb).Errors[0].Message);
        Assert.Contains("must be a PDF", EvidenceFiles.Identify(Zip("readme.txt"), TenMb).Errors[0].Message);
        Assert.Contains("cannot be opened", EvidenceFiles.Identify(Encoding.ASCII.GetBytes("PK\u0003\u0004 not really a zip"), TenMb).Errors[0].Message);
        var big = new byte[2048];
        Pdf.CopyTo(big, 0);
        Assert.Contains("at most 1 KB", EvidenceFiles.Identify(big, 1024).Errors[0].Message);
    }

    [Fact]
    public void APdfWithJavaScriptIsAcceptedAsAPdfToBeServedOnlyAsAnAttachment() =>
        Assert.Equal(EvidenceFiles.Pdf, EvidenceFiles.Identify(Encoding.ASCII.GetBytes("%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), TenMb).Value);

    [Fact]
    public void AStoredFileNameLosesItsPath() => Assert.Equal("report.pdf", EvidenceFiles.SafeName("C:\\Users\\x\\..\\report.pdf"));
}
