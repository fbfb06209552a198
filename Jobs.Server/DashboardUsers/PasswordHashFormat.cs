using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Jobs.Server.DashboardUsers;

/// <summary>
/// Checks that a configured hash is in the layout <c>PasswordHasher&lt;TUser&gt;</c> writes in its v3 format, so a
/// pasted plain password or a truncated hash is an error at start instead of a user who can never sign in:
/// Base64 of 0x01, PRF (0 SHA-1, 1 SHA-256, 2 SHA-512), iteration count and salt length (big-endian 32-bit),
/// the salt (at least 128 bits), then the derived key (at least 128 bits).
/// </summary>
internal static class PasswordHashFormat
{
    private const int HeaderLength = 13;
    private const int MinimumBytes = 128 / 8;

    public static bool IsValidV3(string? hash, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(hash))
        {
            problem = "it is empty";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(hash.Trim());
        }
        catch (FormatException)
        {
            problem = "it is not Base64";
            return false;
        }

        if (bytes.Length == 0 || bytes[0] != 0x01)
        {
            problem = bytes.Length > 0 && bytes[0] == 0x00
                ? "it is in the older v2 format"
                : "it does not start with the v3 format marker";
            return false;
        }

        if (bytes.Length < HeaderLength)
        {
            problem = "it is too short";
            return false;
        }

        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        if (prf > 2)
        {
            problem = $"its pseudo-random function {prf} is not one of HMAC-SHA1, -SHA256, -SHA512";
        }
        else if (iterations == 0 || iterations > int.MaxValue)
        {
            problem = $"its iteration count {iterations} is not valid";
        }
        else if (saltLength < MinimumBytes || saltLength > bytes.Length - HeaderLength)
        {
            problem = "its salt is shorter than 128 bits or longer than the hash";
        }
        else if (bytes.Length - HeaderLength - saltLength < MinimumBytes)
        {
            problem = "its derived key is shorter than 128 bits";
        }

        return problem is null;
    }
}
