using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Scorecard.Data.Meetings.Pack;

/// <summary>
/// Writes the meeting pack as a Word document with the Open XML SDK: cover, agenda, attendance, each item with its facts,
/// chart, table or heat map (PNG drawn by <see cref="PackCharts"/>) and what was recorded, then the decisions and actions
/// log. Deterministic: relationship ids are named, nothing reads the clock, and the zip is rewritten with a fixed
/// timestamp on every entry, so the same <see cref="PackModel"/> always gives the same bytes.
/// </summary>
public static class PackDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>Every zip entry's time (the earliest a zip can say): a pack carries no "now".</summary>
    public static readonly DateTimeOffset FixedEntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const long EmuPerPixel = 9525;
    private const long MaxWidthEmu = 6_000_000; // about 16.5 cm: A4 less margins

    public static byte[] Write(PackModel model) => Write(model, PackCharts.Xmr, PackCharts.HeatMap);

    /// <summary>The document with the charts drawn by the given functions (the benchmark's floor draws none).</summary>
    public static byte[] Write(PackModel model, Func<PackChart, byte[]> xmr, Func<PackHeatMap, byte[]> heatMap)
    {
        // The charts are drawn while the document is written: background workers take charts one at a time, and this
        // thread joins them once the text is done. They go into the zip as they are: PNG is compressed already, so the
        // package holds an empty part for each until Normalise writes it.
        var charts = new ChartDrawing(model, xmr, heatMap);
        var media = new Dictionary<string, (int Item, bool HeatMap)>(StringComparer.Ordinal);
        using var raw = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(raw, WordprocessingDocumentType.Document))
        {
            // Named relationship ids throughout: the SDK's default ids are random.
            var main = doc.AddNewPart<MainDocumentPart>("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rIdMain");
            AddStyles(main);
            var body = new Body();
            main.Document = new Document(body);
            var images = 0;

            body.Append(Para(model.PartnershipName, "Subtitle"));
            body.Append(Para(model.MeetingTitle, "Title"));
            body.Append(Para($"{model.MeetingKind} meeting, {model.MeetingDate.ToString("dddd d MMMM yyyy", MeetingWords.Uk)}", null));
            body.Append(Para($"Meeting pack, version {model.Version}{(model.Status == "held" ? ", with the decisions and actions recorded" : "")}", null));
            body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));

            body.Append(Para("Agenda", "Heading1"));
            body.Append(Table(["No.", "Section", "Item", "Why it is here"],
                model.Items.Select(i => (IReadOnlyList<string>)[i.Number.ToString(MeetingWords.Uk), i.Section, i.Title, i.Reason]).ToList()));

            body.Append(Para("Attendance", "Heading1"));
            body.Append(model.Attendance.Count == 0
                ? Para("No agencies were invited.", null)
                : Table(["Agency", "Represented", "By"],
                    model.Attendance.Select(a => (IReadOnlyList<string>)[a.AgencyName, a.Attended ? "Yes" : "No", a.Representative]).ToList()));

            for (var n = 0; n < model.Items.Count; n++)
            {
                var item = model.Items[n];
                body.Append(Para($"{item.Number}. {item.Title}", "Heading1"));
                body.Append(Para($"{item.Section}{(item.Reason.Length > 0 ? ": " + item.Reason : "")}", null));
                if (item.Facts.Count > 0)
                    body.Append(Table(["Fact", "Value"], item.Facts.Select(f => (IReadOnlyList<string>)[f.Label, f.Value]).ToList()));
                if (item.Chart is { } chart)
                {
                    body.Append(Image(main, ++images, (n, false), media, PackCharts.ChartWidth, PackCharts.ChartHeight, chart.Summary));
                    body.Append(Para(chart.Summary, "Caption"));
                }
                if (item.HeatMap is { } map)
                {
                    body.Append(Image(main, ++images, (n, true), media, PackCharts.HeatMapSize, PackCharts.HeatMapSize, map.Caption));
                    body.Append(Para(map.Caption, "Caption"));
                }
                if (item.Table is { } table)
                {
                    body.Append(Para(table.Caption, "Heading2"));
                    body.Append(Table(table.Headers, table.Rows));
                }
                if (item.Records.Count > 0)
                {
                    body.Append(Para("Recorded at the meeting", "Heading2"));
                    foreach (var r in item.Records)
                        body.Append(Para($"{r.Kind}: {r.Text}{Owner(r)}", null));
                }
            }

            body.Append(Para("Decisions and actions log", "Heading1"));
            body.Append(model.Log.Count == 0
                ? Para("Nothing has been recorded yet.", null)
                : Table(["Item", "Kind", "What", "Owner", "Due"],
                    model.Log.Select(r => (IReadOnlyList<string>)[$"{r.ItemNumber}. {r.ItemTitle}", r.Kind, r.Text, r.Owner, r.Due]).ToList()));
            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1134, Right = 1134, Bottom = 1134, Left = 1134, Header = 709, Footer = 709, Gutter = 0 }));
            main.Document.Save();
        }
        charts.Finish();
        return Normalise(raw.ToArray(), media.ToDictionary(m => m.Key, m => charts.Png(m.Value.Item, m.Value.HeatMap), StringComparer.Ordinal));
    }

    /// <summary>The model's charts and heat maps, drawn by background workers and by the thread that calls <see cref="Finish"/>.</summary>
    private sealed class ChartDrawing
    {
        private readonly PackModel model;
        private readonly Func<PackChart, byte[]> xmr;
        private readonly Func<PackHeatMap, byte[]> heatMap;
        private readonly byte[][] drawn, maps;
        private readonly Task[] workers;
        private int next = -1;

        public ChartDrawing(PackModel model, Func<PackChart, byte[]> xmr, Func<PackHeatMap, byte[]> heatMap)
        {
            (this.model, this.xmr, this.heatMap) = (model, xmr, heatMap);
            drawn = new byte[model.Items.Count][];
            maps = new byte[model.Items.Count][];
            var count = model.Items.Count(i => i.Chart is not null || i.HeatMap is not null);
            workers = Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount - 1, 0, count))
                .Select(_ => Task.Run(Work)).ToArray();
        }

        public byte[] Png(int item, bool heatMap) => heatMap ? maps[item] : drawn[item];

        /// <summary>Draws what is left, then waits for the workers' last charts (and throws what they threw).</summary>
        public void Finish()
        {
            Work();
            Task.WaitAll(workers);
        }

        private void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < model.Items.Count)
            {
                drawn[i] = model.Items[i].Chart is { } c ? xmr(c) : [];
                maps[i] = model.Items[i].HeatMap is { } h ? heatMap(h) : [];
            }
        }
    }

    private static string Owner(PackRecord r) =>
        (r.Owner.Length > 0 ? $" (owner: {r.Owner}" + (r.Due.Length > 0 ? $", due {r.Due})" : ")") : r.Due.Length > 0 ? $" (due {r.Due})" : "");

    /// <summary>
    /// Rewrites the package with every entry in name order, a fixed timestamp and the same compression; the images of
    /// <paramref name="media"/> (by entry name) are written in place of their empty parts, stored as they are.
    /// </summary>
    internal static byte[] Normalise(byte[] package, IReadOnlyDictionary<string, byte[]> media)
    {
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries.OrderBy(e => e.FullName == "[Content_Types].xml" ? 0 : 1).ThenBy(e => e.FullName, StringComparer.Ordinal))
            {
                var image = media.GetValueOrDefault(entry.FullName);
                var copy = zip.CreateEntry(entry.FullName, image is null ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                copy.LastWriteTime = FixedEntryTime;
                using var to = copy.Open();
                if (image is not null)
                {
                    to.Write(image);
                    continue;
                }
                using var from = entry.Open();
                from.CopyTo(to);
            }
        }
        return output.ToArray();
    }

    private static Paragraph Para(string text, string? style)
    {
        var p = new Paragraph();
        if (style is not null)
            p.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        p.Append(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return p;
    }

    private static Table Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var border = new BorderType[] { new TopBorder(), new BottomBorder(), new LeftBorder(), new RightBorder(), new InsideHorizontalBorder(), new InsideVerticalBorder() };
        foreach (var b in border)
        {
            b.Val = BorderValues.Single;
            b.Size = 4;
            b.Color = "9EA7B0";
        }
        var table = new Table(new TableProperties(
            new TableStyle { Val = "TableGrid" },
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(border.Cast<OpenXmlElement>())));
        var head = new TableRow(new TableRowProperties(new TableHeader()));
        foreach (var h in headers)
            head.Append(Cell(h, bold: true));
        table.Append(head);
        foreach (var row in rows)
        {
            var tr = new TableRow();
            foreach (var cell in row)
                tr.Append(Cell(cell, bold: false));
            table.Append(tr);
        }
        return table;
    }

    private static TableCell Cell(string text, bool bold)
    {
        var run = new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        if (bold)
            run.PrependChild(new RunProperties(new Bold()));
        return new TableCell(new Paragraph(run));
    }

    private static Paragraph Image(MainDocumentPart main, int n, (int Item, bool HeatMap) png, Dictionary<string, (int Item, bool HeatMap)> media, int widthPx, int heightPx, string description)
    {
        var relId = $"rIdImage{n}";
        var part = main.AddImagePart(ImagePartType.Png, relId);
        using (var empty = new MemoryStream())
            part.FeedData(empty);
        media[part.Uri.OriginalString.TrimStart('/')] = png;
        var cx = Math.Min(MaxWidthEmu, widthPx * EmuPerPixel);
        var cy = cx * heightPx / widthPx;
        var name = $"Chart {n}";
        var drawing = new Drawing(
            new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
                new DW.DocProperties { Id = (UInt32Value)(uint)n, Name = name, Description = description },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(
                    new PIC.Picture(
                        new PIC.NonVisualPictureProperties(
                            new PIC.NonVisualDrawingProperties { Id = (UInt32Value)0U, Name = $"chart{n}.png", Description = description },
                            new PIC.NonVisualPictureDrawingProperties()),
                        new PIC.BlipFill(new A.Blip { Embed = relId }, new A.Stretch(new A.FillRectangle())),
                        new PIC.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
                { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            { DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U });
        return new Paragraph(new Run(drawing));
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
        Style Para(string id, string name, int halfPoints, bool bold, string colour, int? outline, int spaceBefore)
        {
            var paragraph = new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = spaceBefore.ToString(), After = "120" });
            if (outline is { } o)
                paragraph.Append(new OutlineLevel { Val = o });
            var run = new StyleRunProperties(new RunFonts { Ascii = "Arial", HighAnsi = "Arial" });
            if (bold)
                run.Append(new Bold());
            run.Append(new Color { Val = colour }, new FontSize { Val = halfPoints.ToString() });
            return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new PrimaryStyle(), paragraph, run)
            { Type = StyleValues.Paragraph, StyleId = id };
        }

        var normal = new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(new SpacingBetweenLines { After = "120" }),
            new StyleRunProperties(new RunFonts { Ascii = "Arial", HighAnsi = "Arial" }, new FontSize { Val = "22" }))
        { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true };
        var table = new Style(new StyleName { Val = "Table Grid" }, new PrimaryStyle()) { Type = StyleValues.Table, StyleId = "TableGrid" };
        styles.Styles = new Styles(
            normal,
            Para("Title", "Title", 56, true, "1B1F24", null, 2400),
            Para("Subtitle", "Subtitle", 28, false, "5F6B7A", null, 0),
            Para("Heading1", "heading 1", 32, true, "0B4F6C", 0, 360),
            Para("Heading2", "heading 2", 26, true, "0B4F6C", 1, 240),
            Para("Caption", "caption", 18, false, "5F6B7A", null, 60),
            table);
        styles.Styles.Save();
    }
}
