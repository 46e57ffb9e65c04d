package io.opsd.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;

import io.opsd.grpc.daemon.DaemonProto;
import io.opsd.grpc.manager.ManagerProto;

/**
 * The generated code against the tables of contracts.md §1 and §2, on the wire: each field is set through the
 * generated builder, the message is serialised, and the raw bytes are decoded by hand. A renumbered field, a
 * changed type (wire type), a renamed or missing field or message, or a renamed RPC fails here.
 */
class WireContractTest {

    /** contracts.md §1 and §2, one line per message: "package.Message: number name type, ...". */
    private static final List<String> MESSAGES = List.of(
        "proto.RegisterRequest: 1 hostname string, 2 ip string, 3 os string, 4 arch string, 5 labels map, 6 daemon_version string, 7 agent_version string",
        "proto.RegisterResponse: 1 node_id string, 2 success bool, 3 message string",
        "proto.HeartbeatRequest: 1 node_id string, 2 timestamp int64, 3 status string",
        "proto.HeartbeatResponse: 1 success bool, 2 message string",
        "proto.MetricsRequest: 1 node_id string, 2 timestamp int64, 3 data bytes",
        "proto.MetricsResponse: 1 success bool, 2 message string",
        "proto.ConfigRequest: 1 node_id string, 2 config_type string",
        "proto.ConfigResponse: 1 success bool, 2 message string, 3 config_data bytes",
        "proto.UpdateRequest: 1 node_id string, 2 component string, 3 version string, 4 download_url string, 5 hash string, 6 signature string, 7 update_data bytes",
        "proto.UpdateResponse: 1 success bool, 2 message string",
        "proto.AgentInfo: 1 id string, 2 type string, 3 version string, 4 status string, 5 pid int32, 6 start_time int64, 7 restart_count int32, 8 last_heartbeat int64",
        "proto.ListAgentsRequest:",
        "proto.ListAgentsResponse: 1 agents repeated",
        "proto.AgentOperationRequest: 1 agent_id string, 2 operation string",
        "proto.AgentOperationResponse: 1 success bool, 2 error_message string",
        "proto.ResourceDataPoint: 1 timestamp int64, 2 cpu double, 3 memory_rss uint64, 4 memory_vms uint64, 5 disk_read_bytes uint64, 6 disk_write_bytes uint64, 7 open_files int32",
        "proto.AgentMetricsRequest: 1 agent_id string, 2 duration_seconds int64",
        "proto.AgentMetricsResponse: 1 agent_id string, 2 data_points repeated",
        "proto.AgentState: 1 agent_id string, 2 status string, 3 pid int32, 4 last_heartbeat int64, 5 type string, 6 version string",
        "proto.SyncAgentStatesRequest: 1 node_id string, 2 states repeated",
        "proto.SyncAgentStatesResponse: 1 success bool, 2 message string",
        "manager.RegisterNodeRequest: 1 node_id string, 2 hostname string, 3 ip string, 4 os string, 5 arch string, 6 labels map, 7 daemon_version string, 8 agent_version string",
        "manager.RegisterNodeResponse: 1 success bool, 2 message string",
        "manager.HeartbeatRequest: 1 node_id string, 2 timestamp int64",
        "manager.HeartbeatResponse: 1 success bool, 2 message string",
        "manager.MetricData: 1 type string, 2 timestamp int64, 3 values map",
        "manager.ReportMetricsRequest: 1 node_id string, 2 metrics repeated",
        "manager.ReportMetricsResponse: 1 success bool, 2 message string");

    /** contracts.md §1 and §2: every RPC, unary, with its request and response. */
    private static final List<String> SERVICES = List.of(
        "proto.DaemonService: Register RegisterRequest RegisterResponse, Heartbeat HeartbeatRequest HeartbeatResponse, "
            + "ReportMetrics MetricsRequest MetricsResponse, GetConfig ConfigRequest ConfigResponse, "
            + "PushUpdate UpdateRequest UpdateResponse, ListAgents ListAgentsRequest ListAgentsResponse, "
            + "OperateAgent AgentOperationRequest AgentOperationResponse, "
            + "GetAgentMetrics AgentMetricsRequest AgentMetricsResponse, "
            + "SyncAgentStates SyncAgentStatesRequest SyncAgentStatesResponse",
        "manager.ManagerService: RegisterNode RegisterNodeRequest RegisterNodeResponse, "
            + "Heartbeat HeartbeatRequest HeartbeatResponse, ReportMetrics ReportMetricsRequest ReportMetricsResponse");

    private record Field(int number, String name, String type) {
    }

    @Test
    void everyFieldIsOnTheWireUnderTheContractsNumberAndWireType() throws Exception {
        int checked = 0;
        for (String line : MESSAGES) {
            String name = line.substring(0, line.indexOf(':'));
            Descriptor descriptor = descriptor(name);
            List<Field> fields = fields(line);
            assertEquals(fields.stream().map(Field::name).toList(),
                descriptor.getFields().stream().map(FieldDescriptor::getName).toList(),
                name + ": the fields, in number order, are the contract's and no others");
            Message.Builder builder = builder(descriptor);
            Map<Integer, Object> expected = new LinkedHashMap<>();
            for (Field f : fields) {
                FieldDescriptor fd = descriptor.findFieldByName(f.name());
                expected.put(f.number(), set(builder, fd, f));
            }
            byte[] wire = builder.build().toByteArray();
            Map<Integer, Object> decoded = decode(name, wire, fields);
            assertEquals(expected.keySet(), decoded.keySet(), name + ": field numbers on the wire");
            for (Field f : fields) {
                assertEquals(expected.get(f.number()), decoded.get(f.number()),
                    name + "." + f.name() + " (field " + f.number() + ", " + f.type() + ")");
                checked++;
            }
            // and back: the generated parser reads the contract's numbers
            Message parsed = builder(descriptor).mergeFrom(wire).build();
            assertEquals(builder.build(), parsed, name + " parses its own wire form");
        }
        assertEquals(89, checked, "every field of the contract tables was checked");
        assertEquals(MESSAGES.size(), DaemonProto.getDescriptor().getMessageTypes().size()
            + ManagerProto.getDescriptor().getMessageTypes().size(), "no message outside the contract");
    }

    @Test
    void theServicesHaveTheContractsRpcsWithTheirFullNames() {
        for (String line : SERVICES) {
            String name = line.substring(0, line.indexOf(':'));
            String pkg = name.substring(0, name.indexOf('.'));
            ServiceDescriptor service = file(pkg).findServiceByName(name.substring(name.indexOf('.') + 1));
            assertNotNull(service, name);
            List<String> expected = new ArrayList<>();
            for (String rpc : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] p = rpc.trim().split(" ");
                expected.add(p[0] + "(" + pkg + "." + p[1] + ") " + pkg + "." + p[2]);
            }
            List<String> actual = new ArrayList<>();
            for (MethodDescriptor m : service.getMethods()) {
                assertTrue(!m.isClientStreaming() && !m.isServerStreaming(), m.getFullName() + " is unary");
                actual.add(m.getName() + "(" + m.getInputType().getFullName() + ") " + m.getOutputType().getFullName());
            }
            assertEquals(expected, actual, name);
        }
        assertEquals("proto.DaemonService/ListAgents",
            io.opsd.grpc.daemon.DaemonServiceGrpc.getListAgentsMethod().getFullMethodName());
        assertEquals("manager.ManagerService/RegisterNode",
            io.opsd.grpc.manager.ManagerServiceGrpc.getRegisterNodeMethod().getFullMethodName());
        assertEquals("proto", DaemonProto.getDescriptor().getPackage());
        assertEquals("manager", ManagerProto.getDescriptor().getPackage());
    }

    private static Object set(Message.Builder builder, FieldDescriptor fd, Field f) {
        long n = f.number();
        switch (f.type()) {
            case "string" -> {
                builder.setField(fd, "v" + n);
                return "v" + n;
            }
            case "bool" -> {
                builder.setField(fd, true);
                return 1L;
            }
            case "int32" -> {
                builder.setField(fd, (int) (1000 + n));
                return 1000 + n;
            }
            case "int64", "uint64" -> {
                builder.setField(fd, 5_000_000_000L + n);
                return 5_000_000_000L + n;
            }
            case "double" -> {
                builder.setField(fd, 12.5 + n);
                return 12.5 + n;
            }
            case "bytes" -> {
                builder.setField(fd, ByteString.copyFromUtf8("{\"b\":" + n + "}"));
                return "{\"b\":" + n + "}";
            }
            case "repeated" -> {
                Message element = builder.newBuilderForField(fd).build();
                builder.addRepeatedField(fd, element);
                return "message of " + element.getSerializedSize() + " bytes";
            }
            case "map" -> {
                Message.Builder entry = builder.newBuilderForField(fd);
                FieldDescriptor key = fd.getMessageType().findFieldByNumber(1);
                FieldDescriptor value = fd.getMessageType().findFieldByNumber(2);
                entry.setField(key, "k" + n);
                boolean doubles = value.getJavaType() == FieldDescriptor.JavaType.DOUBLE;
                entry.setField(value, doubles ? (Object) 0.25 : "x" + n);
                builder.addRepeatedField(fd, entry.build());
                return "k" + n + "=" + (doubles ? "0.25" : "x" + n);
            }
            default -> throw new IllegalArgumentException(f.type());
        }
    }

    /** Reads the wire form by hand, checking each tag's wire type against the contract's type. */
    private static Map<Integer, Object> decode(String message, byte[] wire, List<Field> fields) throws Exception {
        Map<Integer, Field> byNumber = new LinkedHashMap<>();
        fields.forEach(f -> byNumber.put(f.number(), f));
        Map<Integer, Object> out = new LinkedHashMap<>();
        CodedInputStream in = CodedInputStream.newInstance(wire);
        int tag;
        while ((tag = in.readTag()) != 0) {
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            Field f = byNumber.get(number);
            assertNotNull(f, message + ": field number " + number + " is not in the contract");
            Object value = switch (f.type()) {
                case "bool", "int32", "int64", "uint64" -> {
                    assertEquals(WireFormat.WIRETYPE_VARINT, wireType, message + "." + f.name() + " wire type");
                    yield in.readRawVarint64();
                }
                case "double" -> {
                    assertEquals(WireFormat.WIRETYPE_FIXED64, wireType, message + "." + f.name() + " wire type");
                    yield Double.longBitsToDouble(in.readRawLittleEndian64());
                }
                case "string", "bytes" -> {
                    assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, wireType, message + "." + f.name());
                    yield in.readBytes().toStringUtf8();
                }
                case "repeated" -> {
                    assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, wireType, message + "." + f.name());
                    yield "message of " + in.readBytes().size() + " bytes";
                }
                case "map" -> {
                    assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, wireType, message + "." + f.name());
                    yield mapEntry(in.readBytes().toByteArray());
                }
                default -> throw new IllegalArgumentException(f.type());
            };
            out.put(number, value);
        }
        return out;
    }

    private static String mapEntry(byte[] entry) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(entry);
        String key = null;
        String value = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                key = in.readBytes().toStringUtf8();
            } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
                value = String.valueOf(Double.longBitsToDouble(in.readRawLittleEndian64()));
            } else {
                value = in.readBytes().toStringUtf8();
            }
        }
        return key + "=" + value;
    }

    private static List<Field> fields(String line) {
        List<Field> fields = new ArrayList<>();
        Matcher m = Pattern.compile("(\\d+) (\\w+) (\\w+)").matcher(line.substring(line.indexOf(':') + 1));
        while (m.find()) {
            fields.add(new Field(Integer.parseInt(m.group(1)), m.group(2), m.group(3)));
        }
        return fields;
    }

    private static FileDescriptor file(String pkg) {
        return "proto".equals(pkg) ? DaemonProto.getDescriptor() : ManagerProto.getDescriptor();
    }

    private static Descriptor descriptor(String name) {
        String pkg = name.substring(0, name.indexOf('.'));
        Descriptor d = file(pkg).findMessageTypeByName(name.substring(name.indexOf('.') + 1));
        assertNotNull(d, name + " is missing");
        return d;
    }

    private static Message.Builder builder(Descriptor descriptor) throws Exception {
        String javaPackage = descriptor.getFile().getOptions().getJavaPackage();
        Class<?> type = Class.forName(javaPackage + "." + descriptor.getName());
        return (Message.Builder) type.getMethod("newBuilder").invoke(null);
    }
}
