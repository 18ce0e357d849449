using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Scorecard.Data.Database;

/// <summary>
/// Stores ASP.NET Core Data Protection keys in PostgreSQL, so every app instance on one database
/// protects and unprotects cookies and antiforgery tokens with the same key ring.
/// </summary>
public sealed class DataProtectionKeyRepository : IXmlRepository
{
    private readonly Lazy<NpgsqlDataSource> source;

    public DataProtectionKeyRepository(NpgsqlDataSource dataSource) => source = new Lazy<NpgsqlDataSource>(dataSource);

    /// <summary>Resolves the data source on first use: the key manager is built with the app, before the database bootstrap has run.</summary>
    public DataProtectionKeyRepository(Func<NpgsqlDataSource> dataSource) => source = new Lazy<NpgsqlDataSource>(dataSource);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = source.Value.OpenConnection();
        return conn.Query<string>("select xml from data_protection_key order by id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = source.Value.OpenConnection();
        conn.Execute(
            "insert into data_protection_key (friendly_name, xml) values (@FriendlyName, @Xml) on conflict (friendly_name) do nothing",
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
