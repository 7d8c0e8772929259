// A radio group styled as a segmented control: arrow keys move between ranges, as for native radios.
export function RangePicker<T extends string>({ value, options, onChange, label }: { value: T; options: readonly T[]; onChange: (v: T) => void; label: string }) {
  return (
    <fieldset className="segmented">
      <legend>{label}</legend>
      {options.map((option) => (
        <label key={option} className={option === value ? 'selected' : ''}>
          <input type="radio" name="range" value={option} checked={option === value} onChange={() => onChange(option)} />
          {option}
        </label>
      ))}
    </fieldset>
  );
}
