package io.opsd.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The {@code user} key against the host's real accounts (getent), and the setpriv words it turns into. */
class AccountsTest {

    private static final Accounts AS_ROOT = new Accounts(Accounts::getent, 0);
    private static final Accounts AS_NOBODY = new Accounts(Accounts::getent, 65534);

    private static String refusal(Accounts accounts, String user) {
        return assertThrows(IllegalArgumentException.class, () -> accounts.runAs(user)).getMessage();
    }

    @Test
    void emptyOrOpsdsOwnUserRunsTheAgentAsOpsd() {
        assertEquals(Optional.empty(), AS_ROOT.runAs(""));
        assertEquals(Optional.empty(), AS_ROOT.runAs("  "));
        assertEquals(Optional.empty(), AS_ROOT.runAs(null));
        assertEquals(Optional.empty(), AS_ROOT.runAs("root"));
        assertEquals(Optional.empty(), AS_ROOT.runAs("0"));
        assertEquals(Optional.empty(), AS_NOBODY.runAs("nobody"));
        assertEquals(Optional.empty(), AS_NOBODY.runAs("65534"));
    }

    @Test
    void rootRunsAnAgentAsAnotherUserByNameOrUid() {
        Accounts.Account byName = AS_ROOT.runAs("nobody").orElseThrow();
        assertEquals("nobody", byName.name());
        assertEquals(65534, byName.uid());
        assertEquals(Optional.of(byName), AS_ROOT.runAs("65534"));
    }

    @Test
    void namesThatAreNoUserNamesAreRefusedBeforeAnyLookup() {
        List<String> looked = new ArrayList<>();
        Accounts accounts = new Accounts(name -> {
            looked.add(name);
            return Optional.empty();
        }, 0);
        for (String bad : List.of("Root", "-x", "a b", "../etc", "root;id", "$(id)", "a".repeat(33), "1x",
            "12345678901")) {
            assertTrue(refusal(accounts, bad).startsWith("is not a user name"), bad);
        }
        assertEquals(List.of(), looked, "nothing invalid reaches getent");
        assertTrue(refusal(accounts, "machine$").startsWith("is not a user on this host"), "a Samba machine name");
        assertTrue(refusal(accounts, "_svc-1").startsWith("is not a user on this host"));
    }

    @Test
    void aUserThatDoesNotExistIsRefused() {
        assertTrue(refusal(AS_ROOT, "no-such-user-x").startsWith("is not a user on this host"));
        assertTrue(refusal(AS_ROOT, "4000000000").startsWith("is not a user on this host"));
    }

    @Test
    void opsdThatIsNotRootCannotRunAnAgentAsAnotherUser() {
        String e = refusal(AS_NOBODY, "root");
        assertTrue(e.startsWith("cannot be used: opsd runs as uid 65534, not as root"), e);
        assertTrue(e.contains("dist/systemd/opsd-root-agents.conf"), e);
    }

    @Test
    void passwdLinesAreParsed() {
        assertEquals(Optional.of(new Accounts.Account("filebeat", 998, 997)),
            Accounts.parse("filebeat:x:998:997::/var/lib/filebeat:/usr/sbin/nologin\n"));
        assertEquals(Optional.empty(), Accounts.parse(""));
        assertEquals(Optional.empty(), Accounts.parse("broken:x:uid:gid"));
    }

    @Test
    void setprivSwitchesUserGroupAndSupplementaryGroupsAfterTheDeathSignal() {
        Accounts.Account filebeat = new Accounts.Account("filebeat", 998, 997);
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/setpriv", "--pdeathsig", "KILL", "--reuid=998",
            "--regid=997", "--init-groups", "--"), ProcessControl.wrapper(true, Optional.of(filebeat)));
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/setpriv", "--reuid=998", "--regid=997", "--init-groups",
            "--"), ProcessControl.wrapper(false, Optional.of(filebeat)), "keep_running_on_exit: no death signal");
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/setpriv", "--pdeathsig", "KILL", "--"),
            ProcessControl.wrapper(true, Optional.empty()), "as before");
        assertEquals(List.of("/usr/bin/setsid"), ProcessControl.wrapper(false, Optional.empty()), "as before");
    }

    @Test
    void theWrappedProcessRunsAsTheUser() throws Exception {
        assumeTrue(Accounts.effectiveUid() == 0, "only root can switch users");
        Accounts.Account nobody = AS_ROOT.runAs("nobody").orElseThrow();
        List<String> command = new ArrayList<>(ProcessControl.wrapper(true, Optional.of(nobody)));
        command.add("/usr/bin/id");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "id did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("uid=" + nobody.uid() + "(nobody) gid=" + nobody.gid() + "("), out);
    }
}
