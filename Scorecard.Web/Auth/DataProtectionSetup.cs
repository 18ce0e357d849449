using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Scorecard.Data.Database;

namespace Scorecard.Web.Auth;

/// <summary>
/// Data Protection (cookies, antiforgery) with its key ring in PostgreSQL, shared by every instance, and every key
/// encrypted at rest with an X.509 certificate, so that reading the database is not enough to forge a sign-in cookie.
/// The certificate is <c>Scorecard:DataProtection:CertificatePath</c> (a .pfx, with <c>CertificatePassword</c>), or
/// <c>CertificateThumbprint</c> from the current user's or the machine's "My" store. With neither, a self-signed
/// certificate is made once beside the data folder (<c>data-protection.pfx</c>, readable by its owner only) and reused:
/// right for the one-machine embedded default; several instances must all be given the same certificate.
/// </summary>
public static class DataProtectionSetup
{
    public const string GeneratedFileName = "data-protection.pfx";

    public static IServiceCollection AddScorecardDataProtection(this IServiceCollection services, IConfiguration config, string dataFolder)
    {
        var certificate = LoadConfiguredCertificate(config) ?? LoadOrCreateCertificate(GeneratedPath(dataFolder));
        services.AddDataProtection()
            .SetApplicationName("Scorecard")
            .ProtectKeysWithCertificate(certificate);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<DataProtectionKeyRepository>()));
        return services;
    }

    /// <summary>Where the generated certificate lives: beside the embedded cluster's folder, not inside it (the cluster
    /// folder belongs to the postgres user; the certificate only to the app).</summary>
    public static string GeneratedPath(string dataFolder)
    {
        var full = Path.GetFullPath(dataFolder).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full) ?? full, GeneratedFileName);
    }

    private static X509Certificate2? LoadConfiguredCertificate(IConfiguration config)
    {
        var section = config.GetSection("Scorecard:DataProtection");
        if (section["CertificatePath"] is { Length: > 0 } path)
        {
            if (!File.Exists(path))
                throw new InvalidOperationException($"Scorecard:DataProtection:CertificatePath names {path}, which does not exist.");
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["CertificatePassword"], X509KeyStorageFlags.EphemeralKeySet);
            return RequirePrivateKey(certificate, path);
        }
        if (section["CertificateThumbprint"] is { Length: > 0 } thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", ""), validOnly: false);
                if (found.Count > 0)
                    return RequirePrivateKey(found[0], $"thumbprint {thumbprint}");
            }
            throw new InvalidOperationException($"No certificate with thumbprint {thumbprint} is in the current user's or the machine's My store.");
        }
        return null;
    }

    private static X509Certificate2 RequirePrivateKey(X509Certificate2 certificate, string what) =>
        certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The Data Protection certificate ({what}) has no private key, so keys could not be read back.");

    /// <summary>Loads the certificate at <paramref name="path"/>, making a self-signed one there first if there is none.</summary>
    public static X509Certificate2 LoadOrCreateCertificate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=Scorecard Data Protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(50));
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the app's user only
            using (var file = new FileStream(temporary, options))
            {
                file.Write(created.Export(X509ContentType.Pkcs12));
            }
            try
            {
                // Another instance may have made one at the same moment: the first one written wins and both use it.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        return RequirePrivateKey(X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet), path);
    }
}
