// Simulator: one firmware on one board (see sim/simulator.h).
#include "sim/simulator.h"

#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <cstdio>

#include "sim/fault_report.h"

namespace ember::sim {
namespace {

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

Simulator::Simulator(const BoardConfig& board, ElfImage image, std::unique_ptr<CycleModel> model,
                     SimOptions options)
    : board_(board),
      image_(std::move(image)),
      model_(std::move(model)),
      options_(std::move(options)) {}

Simulator::~Simulator() = default;

Result<std::unique_ptr<Simulator>> Simulator::Create(const BoardConfig& board, ElfImage image,
                                                     std::unique_ptr<CycleModel> model,
                                                     SimOptions options) {
  if (!model) return Status::Error("Simulator: no cycle model");
  std::unique_ptr<Simulator> sim(
      new Simulator(board, std::move(image), std::move(model), std::move(options)));
  Status st = sim->Init();
  if (!st.ok()) return st;
  return sim;
}

Status Simulator::Init() {
  if (!options_.output) {
    options_.output = [](int stream, std::string_view bytes) {
      FILE* f = stream == 2 ? stderr : stdout;
      std::fwrite(bytes.data(), 1, bytes.size(), f);
      std::fflush(f);
    };
  }
  if (options_.command_line.empty()) options_.command_line = image_.path();
  budget_ = options_.max_cycles != 0 ? options_.max_cycles : ~uint64_t{0};
  fpu_usable_ = board_.has_fpu;
  cycles_counter_ = model_->cycles_counter();

  auto machine = Machine::Create(board_);
  if (!machine.ok()) return machine.status();
  machine_ = std::move(machine).value();
  EMBER_SIM_RETURN_IF_ERROR(image_.LoadInto(*machine_));

  auto sp = machine_->ReadU32(board_.vector_table);
  auto reset = machine_->ReadU32(board_.vector_table + 4);
  if (!sp.ok() || !reset.ok()) return Status::Error("cannot read the vector table");
  initial_sp_ = *sp;
  reset_pc_ = *reset;
  if (!board_.FindMemory(reset_pc_ & ~1u) || !board_.FindMemory(reset_pc_ & ~1u)->executable) {
    return Status::Error(fmt::format(
        "{}: the reset vector (word 1 of the vector table at 0x{:08x}) is 0x{:08x}, not in an "
        "executable memory of board {} ({}); is the firmware linked for this board?",
        image_.path(), board_.vector_table, reset_pc_, board_.id, board_.DescribeMemories()));
  }
  if ((reset_pc_ & 1u) == 0) {
    return Status::Error(
        fmt::format("{}: the reset vector 0x{:08x} lacks the Thumb bit", image_.path(), reset_pc_));
  }
  if (!board_.FindMemory(initial_sp_ - 4) || !board_.FindMemory(initial_sp_ - 4)->writable) {
    return Status::Error(fmt::format(
        "{}: the initial stack pointer (word 0 of the vector table) 0x{:08x} is not at the top "
        "of a writable memory of board {} ({})",
        image_.path(), initial_sp_, board_.id, board_.DescribeMemories()));
  }

  CycleSource cycles = [this] { return model_->cycles(); };
  scs_ = std::make_shared<SystemControl>(board_, machine_.get(), cycles);
  dwt_ = std::make_shared<Dwt>(board_, scs_.get(), cycles);
  scs_->set_dwt(dwt_.get());
  scs_->set_ccr_listener([this](uint32_t ccr) {
    model_->SetCoreCaches((ccr & (1u << 17)) != 0, (ccr & (1u << 16)) != 0);  // IC, DC
  });
  scs_->set_write_listener([this] {
    UpdateGate();
    const Status st = usage_faults_->SyncDivideTrap();
    if (!st.ok()) machine_->StopWithFault(Fault{FaultKind::kInternal, 0, false, 0, st.message()});
  });
  EMBER_SIM_RETURN_IF_ERROR(machine_->AddMmio(SystemControl::kBase, SystemControl::kSize, scs_));
  EMBER_SIM_RETURN_IF_ERROR(machine_->AddMmio(Dwt::kBase, Dwt::kSize, dwt_));
  if (board_.has_uart) {
    EMBER_SIM_RETURN_IF_ERROR(machine_->AddMmio(
        board_.uart_base, Uart::kSize, std::make_shared<Uart>(board_.uart_kind, options_.output)));
  }

  // The simulator's per-block work runs inside the model's block hook when the model has
  // one (one Unicorn callback per block instead of two), else in a hook of its own.
  const Machine::BlockFn on_block = [](void* self, uint32_t address, uint32_t size) {
    static_cast<Simulator*>(self)->OnBlock(address, size);
  };
  // Chained, OnBlock runs only when it has something to do (see UpdateGate): at the
  // budget, while SysTick counts or an exception is pending, and on blocks holding an FP
  // instruction while the FPU is off.
  CycleModel::BlockChain chain;
  chain.fn = on_block;
  chain.ctx = this;
  chain.gate = &gate_;
  chain.armed = &armed_;
  UpdateGate();
  usage_faults_ = std::make_unique<UsageFaultChecker>(machine_.get(), scs_.get());
  const bool chained = !options_.bare && model_->ChainBlockHook(chain);
  EMBER_SIM_RETURN_IF_ERROR(model_->Attach(*machine_));
  EMBER_SIM_RETURN_IF_ERROR(usage_faults_->Attach(image_));
  exceptions_ = std::make_unique<ExceptionUnit>(machine_.get(), scs_.get(), model_.get());
  SemihostingOptions sh;
  sh.output = options_.output;
  sh.stdin_data = options_.stdin_data;
  sh.command_line = options_.command_line;
  sh.allow_host_files = options_.allow_host_files;
  sh.heap_base = image_.has_end_symbol() ? image_.end_symbol() : 0;
  sh.initial_sp = initial_sp_;
  semihosting_ = std::make_unique<Semihosting>(machine_.get(), std::move(sh), cycles);
  if (!options_.bare && !chained) {
    EMBER_SIM_RETURN_IF_ERROR(machine_->AddBlockHook(on_block, this));
  }

  if (options_.trace) {
    tracer_ = std::make_unique<Tracer>(options_.trace, &image_);
    EMBER_SIM_RETURN_IF_ERROR(tracer_->Attach(*machine_));
  }
  return machine_->SetInterruptHandler([this](uint32_t intno) { OnInterrupt(intno); });
}

void Simulator::UpdateGate() {
  gate_ = scs_->needs_tick() || scs_->pending() != 0 ? 0 : budget_;
  armed_ = !fpu_usable_ || !scs_->fpu_enabled() ? CycleModel::kBlockHasFp : 0;
}

void Simulator::OnBlock(uint32_t address, uint32_t size) {
  OnBlockWork(address, size);
  UpdateGate();
}

void Simulator::OnBlockWork(uint32_t address, uint32_t size) {
  // Every block without a chaining model; chained, only when UpdateGate asks for it.
  const uint64_t now = cycles_counter_ != nullptr ? *cycles_counter_ : model_->cycles();
  if (now >= budget_) {
    StopInfo info;
    info.reason = StopReason::kCycleBudget;
    info.message = fmt::format("cycle budget of {} cycles exhausted at pc 0x{:08x} ({})",
                               options_.max_cycles, address, image_.Symbolize(address));
    machine_->Stop(std::move(info));
    return;
  }
  if (scs_->needs_tick()) scs_->Tick(now);
  if (scs_->pending() != 0) {
    auto taken = exceptions_->TakePending(address);
    if (!taken.ok()) {
      machine_->StopWithFault(
          Fault{FaultKind::kInternal, address, false, 0, taken.status().message()});
      return;
    }
    if (*taken) return;  // this block runs after the handler returns
  }
  if (!fpu_usable_ || !scs_->fpu_enabled()) usage_faults_->OnBlock(address, size);
}

void Simulator::OnInterrupt(uint32_t intno) {
  auto pc_or = machine_->ReadReg(Reg::kPc);
  uint32_t pc = pc_or.ok() ? *pc_or : 0;
  Status st;
  switch (intno) {
    case Machine::kExcpBkpt:
      semihosting_->Handle(pc & ~1u);
      return;
    case Machine::kExcpSwi:
      st = exceptions_->Enter(11, pc);
      break;  // pc: after the SVC
    case Machine::kExcpExceptionExit:
      st = exceptions_->Return(pc | 1u);
      break;
    case Machine::kExcpUdef:
      machine_->StopWithFault(Fault{FaultKind::kUndefinedInstruction, pc, false, 0, ""});
      return;
    case Machine::kExcpNocp:
      machine_->StopWithFault(Fault{FaultKind::kNoCoprocessor, pc, false, 0, ""});
      return;
    case Machine::kExcpInvstate:
      machine_->StopWithFault(Fault{FaultKind::kUndefinedInstruction, pc, false, 0,
                                    "invalid state (INVSTATE): branch to an address without the "
                                    "Thumb bit"});
      return;
    default:
      machine_->StopWithFault(Fault{FaultKind::kUnhandledException, pc, false, 0,
                                    fmt::format("core exception {} (QEMU EXCP number)", intno)});
      return;
  }
  if (!st.ok()) machine_->StopWithFault(Fault{FaultKind::kInternal, pc, false, 0, st.message()});
  UpdateGate();
}

Result<SimResult> Simulator::Run() {
  if (ran_) return Status::Error("Simulator::Run may be called once");
  ran_ = true;
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kMsp, initial_sp_));
  EMBER_SIM_RETURN_IF_ERROR(machine_->WriteReg(Reg::kSp, initial_sp_));
  const double cpu_start = ProcessCpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto stop = machine_->Run(reset_pc_);
  auto end = std::chrono::steady_clock::now();
  const double cpu_end = ProcessCpuSeconds();
  if (!stop.ok()) return stop.status();
  SimResult r;
  r.stop = *stop;
  r.instructions = model_->instructions();
  r.cycles = model_->cycles();
  r.board_seconds = static_cast<double>(r.cycles) / static_cast<double>(board_.clock_hz);
  r.host_seconds = std::chrono::duration<double>(end - start).count();
  r.host_cpu_seconds = cpu_end - cpu_start;
  r.instructions_per_second =
      r.host_seconds > 0 ? static_cast<double>(r.instructions) / r.host_seconds : 0;
  r.exceptions_taken = exceptions_->taken();
  switch (r.stop.reason) {
    case StopReason::kExit:
      r.exit_code = r.stop.exit_code;
      r.report = r.stop.message;
      break;
    case StopReason::kFault:
      r.exit_code = 1;
      r.report = FormatFaultReport(r.stop.fault, image_, *machine_);
      break;
    default:
      r.exit_code = 1;
      r.report = fmt::format("{}: {}", StopReasonName(r.stop.reason), r.stop.message);
      break;
  }
  return r;
}

}  // namespace ember::sim
