using Jobs.Server.DashboardUsers;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Tests.DashboardUsers;

[TestFixture]
public sealed class PasswordHashFormatTests
{
    [Test]
    public void IsValidV3_AcceptsWhatPasswordHasherWrites()
    {
        var hash = new PasswordHasher<string>().HashPassword("ada", "secret");

        Assert.That(PasswordHashFormat.IsValidV3(hash, out var problem), Is.True, problem);
    }

    [TestCase("", "it is empty")]
    [TestCase("secret", "it is not Base64")]
    [TestCase("AgAAAA==", "it does not start with the v3 format marker")]
    [TestCase("AQAA", "it is too short")]
    [TestCase("AQAAAAMAACcQAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "its pseudo-random function 3 is not one of HMAC-SHA1, -SHA256, -SHA512")]
    [TestCase("AQAAAAIAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "its iteration count 0 is not valid")]
    [TestCase("AQAAAAIAACcQAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "its salt is shorter than 128 bits or longer than the hash")]
    [TestCase("AQAAAAIAACcQAAAAEAAAAAAAAAAAAAAAAAAAAAA=", "its derived key is shorter than 128 bits")]
    public void IsValidV3_SaysWhatIsWrong_WhenTheHashIsNotV3(string hash, string expected)
    {
        Assert.That(PasswordHashFormat.IsValidV3(hash, out var problem), Is.False);
        Assert.That(problem, Is.EqualTo(expected));
    }
}
