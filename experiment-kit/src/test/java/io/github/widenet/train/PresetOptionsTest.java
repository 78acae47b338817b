package io.github.widenet.train;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetOptionsTest {

    @Command(name = "toy")
    static final class Toy {
        @Option(names = "--epochs", defaultValue = "6")
        int epochs;
        @Option(names = "--lr", defaultValue = "0.005")
        double lr;
        @Option(names = "--seeds", split = ",")
        List<Long> seeds;
        @Option(names = "--augment")
        boolean augment;
        @Option(names = "--loss", defaultValue = "ce")
        String loss;
    }

    private static Map<String, String> preset() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--epochs", "100");
        m.put("--lr", "1.5e-2");
        m.put("--seeds", "1,2,3");
        m.put("--augment", "true");
        m.put("--loss", "mse");
        return m;
    }

    @Test
    void valuesAreConvertedAsOnACommandLine() {
        Toy t = new Toy();
        CommandLine cl = new CommandLine(t);
        cl.parseArgs();
        Map<String, String> applied = PresetOptions.apply(cl.getCommandSpec(), preset(), name -> true);
        assertEquals(preset(), applied);
        assertEquals(100, t.epochs);
        assertEquals(0.015, t.lr);
        assertEquals(List.of(1L, 2L, 3L), t.seeds);
        assertTrue(t.augment);
        assertEquals("mse", t.loss);
    }

    @Test
    void optionsTheFilterRefusesKeepTheirParsedValues() {
        Toy t = new Toy();
        CommandLine cl = new CommandLine(t);
        cl.parseArgs("--epochs", "3");
        Map<String, String> applied = PresetOptions.apply(cl.getCommandSpec(), preset(),
                name -> !cl.getParseResult().hasMatchedOption(name));
        assertEquals(3, t.epochs);
        assertFalse(applied.containsKey("--epochs"));
        assertEquals(0.015, t.lr);
    }

    @Test
    void anOptionTheCommandLacksOrABadValueIsNamed() {
        CommandLine cl = new CommandLine(new Toy());
        cl.parseArgs();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PresetOptions.apply(
                cl.getCommandSpec(), Map.of("--width", "4"), name -> true));
        assertTrue(e.getMessage().contains("--width"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> PresetOptions.apply(
                cl.getCommandSpec(), Map.of("--epochs", "many"), name -> true));
        assertTrue(e.getMessage().contains("--epochs 'many'"), e.getMessage());
    }
}
