@ Timing microbenchmarks for the DSP extension and FPv4-SP (Cortex-M4F and M7), assembled
@ with -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard. Expected cycles for the M4 from
@ the Cortex-M4 TRM instruction table (TI SWCU192 for the FPU rows); for the M7 from the
@ approximate scoreboard in sim/timing/m7_costs.cc (MAC latency 2, FP ALU 3, FMAC 6,
@ FDIV 16, VLDR latency 2). Every benchmark ends with `bx lr` (1 cycle, refill not charged).
  .syntax unified
  .thumb
  .text

  .balign 4
  .global bench_smlad
  .thumb_func
bench_smlad:                @ M4: back-to-back SMLAD 1 each: 4 + bx 1 = 5
  smlad r0, r1, r2, r0      @ M7: accumulator chain, latency 2: @0 @2 @4 @6, bx pairs = 7
  smlad r0, r1, r2, r0
  smlad r0, r1, r2, r0
  smlad r0, r1, r2, r0
  bx lr

  .balign 4
  .global bench_smlad_indep
  .thumb_func
bench_smlad_indep:          @ M4: 4 + 1 = 5
  smlad r0, r1, r2, r0      @ M7: independent accumulators, but one MAC pipe: @0 @1 @2 @3,
  smlad r3, r1, r2, r3      @ bx pairs @3 = 4
  smlad r0, r1, r2, r0
  smlad r3, r1, r2, r3
  bx lr

  .balign 4
  .global bench_vadd
  .thumb_func
bench_vadd:                 @ M4: VADD.F32 1 + VADD 1 + bx 1 = 3
  vadd.f32 s0, s1, s2       @ M7: independent (s0, s3): FP does not dual-issue: @0 @1,
  vadd.f32 s3, s1, s2       @ bx pairs @1 = 2
  bx lr

  .balign 4
  .global bench_vmla
  .thumb_func
bench_vmla:                 @ M4: VMLA.F32 3 + 3 + bx 1 = 7
  vmla.f32 s0, s1, s2       @ M7: chain on s0, FMAC latency 6: @0 @6, bx pairs = 7
  vmla.f32 s0, s1, s2
  bx lr

  .balign 4
  .global bench_vdiv
  .thumb_func
bench_vdiv:                 @ M4: VDIV.F32 14 + bx 1 = 15
  vdiv.f32 s0, s1, s2       @ M7: issue 1, bx pairs = 1 (latency hidden: nothing uses s0)
  bx lr

  .balign 4
  .global bench_vldr
  .thumb_func
bench_vldr:                 @ M4: VLDR.32 2 + VLDR.64 3 + VLDM {s4-s7} 1+4 = 5 + bx 1 = 11
  vldr s0, [r0]             @ M7: @0, @1, ceil(4/2)=2 alone @2..3, bx @4 = 5
  vldr d1, [r0, #8]
  vldmia r0, {s4-s7}
  bx lr
