package io.opsd.admin.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.opsd.api.admin.AttributeView;

/** A configuration's metatype: its attributes as the API shows them, and the checks of values against them. */
final class MetatypeCheck {

    private final Map<String, AttributeDefinition> attributes;

    private MetatypeCheck(Map<String, AttributeDefinition> attributes) {
        this.attributes = attributes;
    }

    /** The metatype of a pid or factory pid, from whichever bundle provides it. */
    static Optional<MetatypeCheck> find(BundleContext context, MetaTypeService metatype, String typePid) {
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getState() != Bundle.STARTING) {
                continue;
            }
            try {
                MetaTypeInformation info = metatype.getMetaTypeInformation(bundle);
                if (info == null || !(contains(info.getPids(), typePid) || contains(info.getFactoryPids(), typePid))) {
                    continue;
                }
                ObjectClassDefinition ocd = info.getObjectClassDefinition(typePid, null);
                if (ocd == null) {
                    continue;
                }
                AttributeDefinition[] ads = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
                Map<String, AttributeDefinition> byId = new TreeMap<>();
                for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
                    byId.put(ad.getID(), ad);
                }
                return Optional.of(new MetatypeCheck(byId));
            } catch (RuntimeException e) {
                // a bundle with a broken metatype does not describe this pid
            }
        }
        return Optional.empty();
    }

    private static boolean contains(String[] pids, String pid) {
        return pids != null && Arrays.asList(pids).contains(pid);
    }

    List<AttributeView> views() {
        List<AttributeView> out = new ArrayList<>();
        attributes.values().forEach(ad -> out.add(new AttributeView(ad.getID(), typeName(ad.getType()),
            ad.getDefaultValue() == null ? "" : String.join(",", ad.getDefaultValue()),
            ad.getDescription() == null ? "" : ad.getDescription())));
        return out;
    }

    /** Keys the metatype types PASSWORD. */
    Set<String> passwordKeys() {
        Set<String> out = new HashSet<>();
        attributes.values().stream().filter(ad -> ad.getType() == AttributeDefinition.PASSWORD)
            .forEach(ad -> out.add(ad.getID()));
        return out;
    }

    /** The problem with setting {@code key} to {@code value}, if any. */
    Optional<String> problem(String pid, String key, String value) {
        AttributeDefinition ad = attributes.get(key);
        if (ad == null) {
            return Optional.of(pid + ": " + key + " is not a key of this configuration; its keys are "
                + String.join(", ", attributes.keySet()));
        }
        List<String> parts = ad.getCardinality() == 0 ? List.of(value.trim())
            : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String part : parts) {
            Optional<String> wrong = typeProblem(ad.getType(), part);
            if (wrong.isPresent()) {
                return Optional.of(pid + ": " + key + " = " + Secrets.shown(key, value) + " " + wrong.get());
            }
            String refused = ad.validate(part);
            if (refused != null && !refused.isEmpty()) {
                return Optional.of(pid + ": " + key + " = " + Secrets.shown(key, value) + " is refused: " + refused);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> typeProblem(int type, String text) {
        try {
            switch (type) {
                case AttributeDefinition.BOOLEAN -> {
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        return Optional.of("is not true or false");
                    }
                }
                case AttributeDefinition.INTEGER -> Integer.parseInt(text);
                case AttributeDefinition.LONG -> Long.parseLong(text);
                case AttributeDefinition.SHORT -> Short.parseShort(text);
                case AttributeDefinition.BYTE -> Byte.parseByte(text);
                case AttributeDefinition.DOUBLE -> Double.parseDouble(text);
                case AttributeDefinition.FLOAT -> Float.parseFloat(text);
                case AttributeDefinition.CHARACTER -> {
                    if (text.length() != 1) {
                        return Optional.of("is not a single character");
                    }
                }
                default -> {
                    // STRING, PASSWORD: any text; the component's own check parses it
                }
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.of("is not " + (type == AttributeDefinition.DOUBLE || type == AttributeDefinition.FLOAT
                ? "a number" : "a whole number in range"));
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case AttributeDefinition.STRING -> "STRING";
            case AttributeDefinition.LONG -> "LONG";
            case AttributeDefinition.INTEGER -> "INTEGER";
            case AttributeDefinition.SHORT -> "SHORT";
            case AttributeDefinition.CHARACTER -> "CHARACTER";
            case AttributeDefinition.BYTE -> "BYTE";
            case AttributeDefinition.DOUBLE -> "DOUBLE";
            case AttributeDefinition.FLOAT -> "FLOAT";
            case AttributeDefinition.BOOLEAN -> "BOOLEAN";
            case AttributeDefinition.PASSWORD -> "PASSWORD";
            default -> "STRING";
        };
    }
}
